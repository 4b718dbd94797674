import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ChatMessage, ClientToServerEvents, RoomRole, RoomView, ServerToClientEvents } from '@reelroom/contracts';
import { RoomEvents } from '../rooms/room-events.js';
import type { ChatEvents } from '../chat/chat.events.js';
import type { AuthContext } from '../auth/auth.types.js';

export interface SocketData {
  auth: AuthContext;
  roomId?: string;
}
export type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const roomChannel = (roomId: string) => `room:${roomId}`;
export const userChannel = (userId: string) => `user:${userId}`;
/** One member's sockets in one room: kick and room:you target it (across processes, via the adapter). */
export const memberChannel = (roomId: string, userId: string) => `room:${roomId}:user:${userId}`;

/**
 * The socket.io server as seen by services (rooms, chat): room and chat broadcasts, kicks and closes.
 * The gateway attaches its server at init. It lives in RoomsModule so RoomsService can reach sockets
 * without a module cycle; presence and playback belong to the playback module, which the gateway uses.
 */
@Injectable()
export class RealtimeHub extends RoomEvents implements ChatEvents {
  server: RoomServer | null = null;

  attach(server: RoomServer) {
    this.server = server;
  }

  // RoomEvents

  roomUpdated(room: RoomView): void {
    this.server?.to(roomChannel(room.id)).emit('room:updated', room);
  }

  roomClosed(roomId: string, message: string): void {
    if (!this.server) return;
    this.server.to(roomChannel(roomId)).emit('room:closed', { message });
    // With the adapter this reaches the sockets of every API process (in stream order, after the emit).
    this.server.in(roomChannel(roomId)).disconnectSockets(true);
  }

  memberChanged(roomId: string, userId: string, you: { role: RoomRole; mutedUntil: string | null }): void {
    this.server?.to(memberChannel(roomId, userId)).emit('room:you', you);
  }

  memberRemoved(roomId: string, userId: string, message: string): void {
    if (!this.server) return;
    this.server.to(memberChannel(roomId, userId)).emit('room:kicked', { message });
    // Their disconnect updates presence.
    this.server.in(memberChannel(roomId, userId)).disconnectSockets(true);
  }

  // ChatEvents

  message(roomId: string, m: ChatMessage): void {
    this.server?.to(roomChannel(roomId)).emit('chat:message', m);
  }

  updated(roomId: string, m: ChatMessage): void {
    this.server?.to(roomChannel(roomId)).emit('chat:updated', m);
  }
}
