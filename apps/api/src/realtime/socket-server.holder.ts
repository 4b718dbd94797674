import { Injectable } from '@nestjs/common';
import type { RoomServer } from './socket.types.js';

/**
 * The socket.io server, once the gateway has started it. Broadcasts need it; the features that broadcast
 * are built before it exists, so they reach it through the port (SocketBroadcaster) and this holder,
 * which the gateway fills in at init. Before that there is nobody connected to tell.
 */
@Injectable()
export class SocketServerHolder {
  private current: RoomServer | null = null;

  attach(server: RoomServer): void {
    this.current = server;
  }

  get server(): RoomServer | null {
    return this.current;
  }
}
