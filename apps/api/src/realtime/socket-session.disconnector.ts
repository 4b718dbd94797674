import { Injectable } from '@nestjs/common';
import { SessionSockets } from '../common/ports/session-sockets.js';
import { sessionChannel, userChannel } from './socket-channels.js';
import { SocketServerHolder } from './socket-server.holder.js';

/**
 * SessionSockets over socket.io: every socket joins its session's and its user's channel when it
 * connects (RealtimeGateway), and `disconnectSockets` on a channel goes through the Redis streams
 * adapter to every API process.
 */
@Injectable()
export class SocketSessionDisconnector extends SessionSockets {
  constructor(private readonly holder: SocketServerHolder) {
    super();
  }

  disconnectSession(sessionId: string): void {
    this.holder.server?.in(sessionChannel(sessionId)).disconnectSockets(true);
  }

  disconnectUser(userId: string): void {
    this.holder.server?.in(userChannel(userId)).disconnectSockets(true);
  }
}
