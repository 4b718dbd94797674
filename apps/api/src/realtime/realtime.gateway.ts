import { Inject } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../common/logger.js';
import { SocketIoClient } from './client-socket.js';
import { FloodGuard } from './flood-guard.js';
import { SocketAdapterFactory } from './socket-adapter.factory.js';
import { SocketAuthMiddleware } from './socket-auth.middleware.js';
import { SOCKET_CONCERNS, type SocketConcern } from './socket-concern.js';
import { SocketServerHolder } from './socket-server.holder.js';
import { CROSS_SITE_REFUSED, socketOriginRefused } from '../http-security/origin-policy.js';
import { sessionChannel, userChannel } from './socket-channels.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import { countRooms } from './room-count.js';
import type { RoomServer, RoomSocket } from './socket.types.js';

/**
 * The socket.io server of the API, and the only Nest gateway: it wires, it does not handle. At init it
 * installs the Redis streams adapter, the handshake's Origin check and authentication and the server in SocketServerHolder
 * (for the RoomBroadcaster port). On each connection it logs socket errors, applies the flood guard (a
 * socket sending more than SOCKET_MAX_EVENTS_PER_SEC events in a second is disconnected alone), then lets
 * every SocketConcern (membership, chat, playback, moderation) register its events. See SocketConcern for
 * why concerns are classes behind one gateway rather than gateways of their own.
 */
@WebSocketGateway({
  path: '/socket.io',
  serveClient: false,
  // Chat and control messages are tiny; a small cap refuses oversized frames (engine.io default is 1 MB).
  maxHttpBufferSize: 16 * 1024,
  // Replays missed packets after a short drop (the streams adapter stores sessions in Redis). Middlewares
  // run again on recovery so a revoked session cannot slip through.
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
})
export class RealtimeGateway implements OnGatewayInit {
  private readonly flood: FloodGuard<string>;
  private readonly allowedOrigins: readonly string[];

  constructor(
    private readonly adapter: SocketAdapterFactory,
    private readonly auth: SocketAuthMiddleware,
    private readonly holder: SocketServerHolder,
    @Inject(SOCKET_CONCERNS) private readonly concerns: SocketConcern[],
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: ApiMetrics,
  ) {
    this.flood = new FloodGuard(config.socketMaxEventsPerSec);
    this.allowedOrigins = config.allowedOrigins;
  }

  afterInit(server: RoomServer): void {
    server.adapter(this.adapter.create());
    // A page of another site must not open a socket with the visitor's cookie (cross-site WebSocket hijacking).
    server.use((socket, next) => {
      const { headers, auth } = socket.handshake;
      next(socketOriginRefused(headers, typeof auth.token === 'string', this.allowedOrigins) ? new Error(CROSS_SITE_REFUSED) : undefined);
    });
    // socket.io ignores a middleware's promise; `use` catches its own errors and answers through `next`.
    server.use((socket, next) => void this.auth.use(socket, next));
    this.holder.attach(server);
    // This process's sockets and rooms, read at scrape time (the local adapter's rooms, not the cluster's).
    this.metrics.reportSocketsWith(() => ({
      sockets: server.of('/').sockets.size,
      rooms: countRooms(server.of('/').adapter.rooms.keys()),
    }));
    server.on('connection', (socket: RoomSocket) => this.connected(socket));
  }

  private connected(socket: RoomSocket): void {
    // An unhandled 'error' on a socket would crash the process (CVE-2024-38355 class): log it instead.
    socket.on('error', (err) => this.logger.warn({ err: err.message, socketId: socket.id }, 'socket error'));
    socket.use((_packet, next) => {
      if (this.flood.hit(socket.id)) return next();
      this.logger.warn(
        { socketId: socket.id, userId: socket.data.auth?.user.id, address: socket.data.address },
        'socket flood: disconnected',
      );
      socket.disconnect(true);
    });
    socket.on('disconnect', () => this.flood.forget(socket.id));
    // Revoking the session (sign-out, sign out everywhere) disconnects these channels on every process.
    const { user, sessionId } = socket.data.auth;
    void socket.join([sessionChannel(sessionId), userChannel(user.id)]);
    const client = new SocketIoClient(socket);
    for (const concern of this.concerns) concern.bind(client);
  }
}
