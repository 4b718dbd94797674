import { Injectable } from '@nestjs/common';
import { SocketServerHolder } from './socket-server.holder.js';

/**
 * Moves this process's sockets to another API process at shutdown. Each socket's transport is closed
 * (not `socket.disconnect()`: a server-side disconnect tells socket.io clients not to reconnect), so the
 * client reconnects at once through the load balancer, lands on a process still listening, recovers its
 * session from the Redis streams adapter and joins its room again (the web client rejoins on every
 * connect and gets the room snapshot: members, role, playback position, chat).
 * Local sockets only: `io.disconnectSockets()` would reach every process through the adapter.
 */
@Injectable()
export class SocketEvacuation {
  constructor(private readonly holder: SocketServerHolder) {}

  /** Closes every local socket's transport; returns how many there were. */
  evacuate(): number {
    const sockets = this.holder.server?.of('/').sockets;
    if (!sockets) return 0;
    const all = [...sockets.values()];
    for (const socket of all) socket.conn.close();
    return all.length;
  }
}
