import { Injectable } from '@nestjs/common';
import { RoomBroadcaster, type BroadcastScope, type ServerEvent, type ServerPayload } from '../common/ports/room-broadcaster.js';
import { memberChannel, roomChannel } from './socket-channels.js';
import { SocketServerHolder } from './socket-server.holder.js';
import { eventArgs as args } from './socket.types.js';

/**
 * RoomBroadcaster over socket.io: rooms and members are channels (socket-channels.ts); with the Redis
 * streams adapter a `cluster` broadcast or a disconnect reaches the sockets of every API process, in the
 * order they were sent (a `room:closed` arrives before the disconnect that follows it).
 */
@Injectable()
export class SocketBroadcaster extends RoomBroadcaster {
  constructor(private readonly holder: SocketServerHolder) {
    super();
  }

  toRoom<E extends ServerEvent>(roomId: string, event: E, payload: ServerPayload<E>, scope: BroadcastScope = 'cluster'): void {
    const server = this.holder.server;
    if (!server) return;
    (scope === 'local' ? server.local : server).to(roomChannel(roomId)).emit(event, ...args<E>(payload));
  }

  toMember<E extends ServerEvent>(roomId: string, userId: string, event: E, payload: ServerPayload<E>): void {
    this.holder.server?.to(memberChannel(roomId, userId)).emit(event, ...args<E>(payload));
  }

  disconnectRoom(roomId: string): void {
    this.holder.server?.in(roomChannel(roomId)).disconnectSockets(true);
  }

  disconnectMember(roomId: string, userId: string): void {
    this.holder.server?.in(memberChannel(roomId, userId)).disconnectSockets(true);
  }
}
