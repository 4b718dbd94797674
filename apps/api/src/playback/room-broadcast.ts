import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@reelroom/contracts';

type AnyServer = Server<ClientToServerEvents, ServerToClientEvents, any, any>;

/** The socket channel of a room (the gateway joins sockets to it). */
export const roomChannel = (roomId: string) => `room:${roomId}`;

/**
 * How playback and presence reach a room's sockets. The gateway attaches its server at init; with the
 * Redis adapter, `to(room).emit` reaches the sockets of every API process.
 */
@Injectable()
export class RoomBroadcast {
  private server: AnyServer | null = null;

  attach(server: AnyServer): void {
    this.server = server;
  }

  emit<E extends keyof ServerToClientEvents>(roomId: string, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (!this.server) return;
    // socket.io's typed emit wants its own tuple types; the event map above already checked the shape.
    const target = this.server.to(roomChannel(roomId)) as unknown as { emit(e: string, ...a: unknown[]): boolean };
    target.emit(event, ...args);
  }
}
