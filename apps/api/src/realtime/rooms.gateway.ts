import { Inject } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import {
  joinRoomEventSchema,
  type ClientToServerEvents,
  type MediaView,
  type ServerToClientEvents,
} from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { AuthService } from '../auth/auth.service.js';
import { tokenFromRequest } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { RoomsService } from '../rooms/rooms.service.js';

type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { auth: AuthContext }>;
type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { auth: AuthContext }>;

const channel = (roomId: string) => `room:${roomId}`;

/**
 * The socket.io side of rooms. Sockets authenticate in the handshake (cookie or `auth.token`), then
 * `room:join` puts them in the room's channel after the same membership check as REST.
 * Every incoming payload is validated; a bad one gets an error ack, never a crash.
 */
@WebSocketGateway({
  path: '/socket.io',
  serveClient: false,
  // Chat and control messages are tiny; a small cap refuses oversized frames (engine.io default is 1 MB).
  maxHttpBufferSize: 16 * 1024,
})
export class RoomsGateway implements OnGatewayInit {
  @WebSocketServer() server!: RoomServer;

  constructor(
    private readonly auth: AuthService,
    private readonly rooms: RoomsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  afterInit(server: RoomServer) {
    server.use(async (socket, next) => {
      try {
        const token =
          typeof socket.handshake.auth?.token === 'string'
            ? socket.handshake.auth.token
            : tokenFromRequest({ cookie: socket.handshake.headers.cookie, authorization: socket.handshake.headers.authorization });
        const ctx = await this.auth.authenticate(token);
        if (!ctx) return next(new Error('Sign in to continue.'));
        socket.data.auth = ctx;
        next();
      } catch (err) {
        this.logger.error({ err }, 'socket auth failed');
        next(new Error('Could not check your session; try again.'));
      }
    });
    server.on('connection', (socket: RoomSocket) => this.onConnection(socket));
  }

  private onConnection(socket: RoomSocket) {
    socket.on('room:join', async (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = joinRoomEventSchema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: 'Invalid room id.' });
      try {
        await this.rooms.requireMember(socket.data.auth.user.id, parsed.data.roomId);
        await socket.join(channel(parsed.data.roomId));
        reply({ ok: true, data: { roomId: parsed.data.roomId } });
      } catch (err) {
        reply({ ok: false, error: err instanceof Error ? err.message : 'Could not join the room.' });
      }
    });
    socket.on('room:leave', async (payload) => {
      const parsed = joinRoomEventSchema.safeParse(payload);
      if (parsed.success) await socket.leave(channel(parsed.data.roomId));
    });
    // An unhandled 'error' on a socket would crash the process (CVE-2024-38355 class): log it instead.
    socket.on('error', (err) => this.logger.warn({ err: err.message }, 'socket error'));
  }

  mediaUpdated(media: MediaView) {
    this.server?.to(channel(media.roomId)).emit('media:updated', media);
  }

  mediaProgress(roomId: string, mediaId: string, progress: number, etaSec: number | null) {
    this.server?.to(channel(roomId)).emit('media:progress', { mediaId, progress, etaSec });
  }

  mediaDeleted(roomId: string, mediaId: string) {
    this.server?.to(channel(roomId)).emit('media:deleted', { mediaId });
  }
}
