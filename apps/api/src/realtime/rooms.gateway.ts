import { Inject } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { HttpException } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import {
  chatDeleteSchema,
  chatReactSchema,
  chatSendSchema,
  chatTypingSchema,
  joinRoomEventSchema,
  kickEventSchema,
  muteEventSchema,
  ROOM_JOIN_REFUSED,
  setRoleEventSchema,
  type ClientToServerEvents,
  type MediaView,
  type RoomSnapshot,
  type ServerToClientEvents,
} from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../common/logger.js';
import { createRedis } from '../queue/redis.js';
import { AuthService } from '../auth/auth.service.js';
import { tokenFromRequest } from '../auth/auth.guard.js';
import { RoomsService, ROOM_CLOSED } from '../rooms/rooms.service.js';
import { RedisLimits } from '../rooms/redis-limits.js';
import { ChatService, SLOW_DOWN } from '../chat/chat.service.js';
import { TokenBuckets } from '../chat/token-bucket.js';
import { FloodGuard } from './flood-guard.js';
import type { EmitScope } from '../media/media.events.js';
import { z as zod } from 'zod';
import { PlaybackService } from '../playback/playback.service.js';
import { PresenceService } from '../playback/presence.service.js';
import { RoomBroadcast } from '../playback/room-broadcast.js';
import { memberChannel, RealtimeHub, roomChannel, userChannel, type RoomServer, type SocketData } from './realtime-hub.js';

type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Reply = (r: unknown) => void;

const channel = roomChannel;
const TYPING_EVERY_MS = 1000;
/** Above this many people in a room, joins and leaves are not announced in chat. */
const ANNOUNCE_MAX_MEMBERS = 50;

/** A user-facing sentence for any error: our HttpExceptions carry one; anything else is generic. */
const sentence = (err: unknown) => (err instanceof HttpException ? err.message : 'Something went wrong on our side; try again.');

/**
 * The socket.io side of rooms. Sockets authenticate in the handshake (cookie or `auth.token`), then
 * `room:join` puts them in the room's channels after the same membership checks as REST and answers a
 * full RoomSnapshot (also after a reconnect: recovery is a bonus, never relied on).
 * Every incoming payload is validated; a bad one gets an error ack, never a crash. A socket that floods
 * (more than SOCKET_MAX_EVENTS_PER_SEC events in a second) is disconnected alone.
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
export class RoomsGateway implements OnGatewayInit {
  @WebSocketServer() server!: RoomServer;
  private readonly flood: FloodGuard<string>;
  private readonly buckets: TokenBuckets<string>;
  private readonly lastTyping = new Map<string, number>();

  constructor(
    private readonly auth: AuthService,
    private readonly rooms: RoomsService,
    private readonly chat: ChatService,
    private readonly hub: RealtimeHub,
    private readonly presence: PresenceService,
    private readonly playback: PlaybackService,
    private readonly broadcast: RoomBroadcast,
    private readonly limits: RedisLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.flood = new FloodGuard(config.socketMaxEventsPerSec);
    this.buckets = new TokenBuckets(config.chatBurst, config.chatPerSec);
  }

  afterInit(server: RoomServer) {
    // Redis Streams adapter: broadcasts reach every API process, survives short Redis drops, and supports
    // connection state recovery (socket.io docs, adapter-redis-streams). Keys under our prefix.
    const redis = createRedis(this.config.redisUrl, { name: 'reelroom-api-socketio' });
    redis.on('error', (err) => this.logger.warn({ err: err.message }, 'redis (socket.io adapter) error'));
    server.adapter(
      createAdapter(redis, {
        streamName: `${this.config.queuePrefix}:socket.io`,
        sessionKeyPrefix: `${this.config.queuePrefix}:sio:session:`,
        maxLen: 10_000,
      }) as never,
    );
    this.hub.attach(server);
    this.broadcast.attach(server);

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

  /** Registers a handler with validation, a guaranteed ack and no exception escaping. */
  private handle<S extends z.ZodType>(
    socket: RoomSocket,
    event: string,
    schema: S,
    run: (data: z.infer<S>, reply: Reply) => Promise<void>,
  ) {
    (socket as unknown as { on(e: string, l: (...a: unknown[]) => void): void }).on(event, (payload: unknown, ack?: unknown) => {
      const reply: Reply = typeof ack === 'function' ? (ack as Reply) : () => undefined;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: `Invalid ${event} payload: ${parsed.error.issues.map((i) => i.message).join('; ')}` });
      run(parsed.data, reply).catch((err: unknown) => {
        if (!(err instanceof HttpException)) this.logger.error({ err, event, socketId: socket.id }, 'socket handler failed');
        reply({ ok: false, error: sentence(err) });
      });
    });
  }

  private onConnection(socket: RoomSocket) {
    // An unhandled 'error' on a socket would crash the process (CVE-2024-38355 class): log it instead.
    socket.on('error', (err) => this.logger.warn({ err: err.message, socketId: socket.id }, 'socket error'));
    socket.use((_packet, next) => {
      if (this.flood.hit(socket.id)) return next();
      this.logger.warn({ socketId: socket.id, userId: socket.data.auth?.user.id }, 'socket flood: disconnected');
      socket.disconnect(true);
    });
    socket.on('disconnect', () => {
      this.flood.forget(socket.id);
      this.buckets.forget(socket.id);
      this.lastTyping.delete(socket.id);
      const roomId = socket.data.roomId;
      if (roomId) void this.left(socket, roomId);
    });
    if (socket.recovered && socket.data.roomId) void this.rejoinRecovered(socket, socket.data.roomId);

    this.handle(socket, 'room:join', joinRoomEventSchema, async ({ roomId }, reply) => {
      reply({ ok: true, data: await this.join(socket, roomId) });
    });
    this.handle(socket, 'room:leave', joinRoomEventSchema, async ({ roomId }) => {
      if (socket.data.roomId === roomId) await this.left(socket, roomId, true);
    });
    this.onPlaybackEvents(socket);

    this.handle(socket, 'chat:send', chatSendSchema, async (body, reply) => {
      const roomId = this.currentRoom(socket);
      const local = this.buckets.take(socket.id);
      const user = local.ok ? await this.limits.take(`chat:${socket.data.auth.user.id}`, this.config.chatBurst, this.config.chatPerSec) : local;
      if (!user.ok) return reply({ ok: false, error: SLOW_DOWN, retryAfterMs: user.retryAfterMs });
      reply({ ok: true, data: await this.chat.send({ userId: socket.data.auth.user.id, name: socket.data.auth.user.displayName }, roomId, body) });
    });
    this.handle(socket, 'chat:typing', chatTypingSchema, async ({ typing }) => {
      const roomId = socket.data.roomId;
      if (!roomId) return;
      const now = Date.now();
      // Typing starts are relayed at most once a second per connection; stops always (not stored).
      if (typing && now - (this.lastTyping.get(socket.id) ?? 0) < TYPING_EVERY_MS) return;
      if (typing) this.lastTyping.set(socket.id, now);
      const { id, displayName } = socket.data.auth.user;
      socket.to(channel(roomId)).emit('chat:typing', { userId: id, name: displayName, typing });
    });
    this.handle(socket, 'chat:react', chatReactSchema, async ({ messageId, emoji, on }, reply) => {
      reply({ ok: true, data: await this.chat.react({ userId: socket.data.auth.user.id }, this.currentRoom(socket), messageId, emoji, on) });
    });
    this.handle(socket, 'chat:delete', chatDeleteSchema, async ({ messageId }, reply) => {
      const roomId = this.currentRoom(socket);
      const role = await this.rooms.requireMember(socket.data.auth.user.id, roomId);
      reply({ ok: true, data: await this.chat.delete({ userId: socket.data.auth.user.id, role }, roomId, messageId) });
    });

    this.handle(socket, 'mod:role', setRoleEventSchema, async ({ userId, role }, reply) => {
      const roomId = this.currentRoom(socket);
      const you = await this.rooms.setRole(socket.data.auth.user.id, roomId, userId, role);
      await this.presence.updateMember(roomId, userId, you);
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.handle(socket, 'mod:kick', kickEventSchema, async ({ userId, ban }, reply) => {
      const roomId = this.currentRoom(socket);
      await this.rooms.kick(socket.data.auth.user.id, roomId, userId, ban);
      // The kicked member's sockets are disconnected; their disconnect updates presence.
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.handle(socket, 'mod:mute', muteEventSchema, async ({ userId, minutes }, reply) => {
      const roomId = this.currentRoom(socket);
      const you = await this.rooms.mute(socket.data.auth.user.id, roomId, userId, minutes);
      await this.presence.updateMember(roomId, userId, you);
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
  }

  /** Clock sync, playback commands and player reports: validated and applied by the playback module. */
  private onPlaybackEvents(socket: RoomSocket) {
    const caller = () => ({ userId: socket.data.auth.user.id, name: socket.data.auth.user.displayName });
    socket.on('time:ping', (payload, ack) => {
      if (typeof ack !== 'function') return;
      const p = payload as { t0?: unknown; rttMs?: unknown } | null;
      ack({ t0: typeof p?.t0 === 'number' && Number.isFinite(p.t0) ? p.t0 : 0, serverTime: Date.now() });
      const roomId = socket.data.roomId;
      if (roomId && p?.rttMs !== undefined) {
        void this.playback.reportRtt([roomId], socket.data.auth.user.id, p.rttMs).catch(() => undefined);
      }
    });
    this.handle(socket, 'sync:command', zod.unknown(), async (payload, reply) => {
      const roomId = this.currentRoom(socket);
      const r = await this.playback.command(caller(), roomId, payload);
      if (r.ok) return reply(r);
      if (r.state) socket.emit('sync:state', r.state); // a stale sender catches up at once
      reply({ ok: false, error: r.error });
    });
    this.handle(socket, 'player:status', zod.unknown(), async (payload) => {
      const roomId = socket.data.roomId;
      if (!roomId) return;
      await this.playback.playerStatus(caller(), roomId, payload);
    });
  }

  private currentRoom(socket: RoomSocket): string {
    if (!socket.data.roomId) throw new HttpException('Join a room first.', 400);
    return socket.data.roomId;
  }

  /** Checks membership, joins the channels, counts the connection and answers the full snapshot. */
  private async join(socket: RoomSocket, roomId: string): Promise<RoomSnapshot> {
    const user = socket.data.auth.user;
    const [room, m] = await Promise.all([this.rooms.findRoom(roomId), this.rooms.membership(roomId, user.id)]);
    if (!room || m?.bannedAt) throw new HttpException(ROOM_JOIN_REFUSED, 404);
    if (!m) throw new HttpException('Join this room first.', 403);
    if (room.closedAt) throw new HttpException(ROOM_CLOSED, 410);
    const fresh = socket.data.roomId !== roomId;
    if (socket.data.roomId && fresh) await this.left(socket, socket.data.roomId, true);
    await socket.join([channel(roomId), userChannel(user.id), memberChannel(roomId, user.id)]);
    socket.data.roomId = roomId;
    if (fresh) await this.counted(socket, roomId, m.role);
    const [members, playback, chat] = await Promise.all([this.presence.members(roomId), this.playback.getState(roomId), this.chat.history(roomId)]);
    return {
      room: this.rooms.view(room, m.role),
      me: { userId: user.id, name: user.displayName, role: m.role },
      members,
      playback,
      chat,
      serverTime: Date.now(),
    };
  }

  /** Connection bookkeeping shared by join and recovery: presence counts it; "joined" line on the first one. */
  private async counted(socket: RoomSocket, roomId: string, role: 'host' | 'moderator' | 'viewer') {
    const user = socket.data.auth.user;
    const n = await this.presence.connect(socket.id, roomId, { userId: user.id, name: user.displayName, role, isGuest: user.isGuest });
    if (n === 1 && (await this.conversational(roomId))) await this.chat.postSystem(roomId, `${user.displayName} joined`);
  }

  private async rejoinRecovered(socket: RoomSocket, roomId: string) {
    try {
      const m = await this.rooms.membership(roomId, socket.data.auth.user.id);
      const room = await this.rooms.findRoom(roomId);
      if (!m || m.bannedAt || !room || room.closedAt) return void socket.disconnect(true);
      await this.counted(socket, roomId, m.role);
    } catch (err) {
      this.logger.warn({ err, socketId: socket.id }, 'recovered socket bookkeeping failed');
    }
  }

  /**
   * Join/leave lines only make sense in a room of a conversational size. In a room of hundreds they
   * would fill the chat, and a join or leave storm would cost n^2 deliveries plus a database write each
   * (bench/chat-fanout: 1,000 joins = 500,000 deliveries, and a pool exhausted on mass disconnect).
   * The presence list shows who is here either way.
   */
  private async conversational(roomId: string): Promise<boolean> {
    return (await this.presence.connectedCount(roomId)) <= ANNOUNCE_MAX_MEMBERS;
  }

  private async left(socket: RoomSocket, roomId: string, leaveChannels = false) {
    try {
      const user = socket.data.auth.user;
      if (socket.data.roomId === roomId) socket.data.roomId = undefined;
      if (leaveChannels) for (const c of [channel(roomId), memberChannel(roomId, user.id)]) await socket.leave(c);
      const remaining = (await this.presence.disconnect(socket.id, roomId)).get(roomId);
      if (remaining === 0 && (await this.conversational(roomId))) await this.chat.postSystem(roomId, `${user.displayName} left`);
    } catch (err) {
      this.logger.warn({ err, socketId: socket.id, roomId }, 'leave bookkeeping failed');
    }
  }

  // Media events: `local` for those every API process observes itself (its own BullMQ QueueEvents
  // listener): through the adapter each would arrive once per process. Request paths use the adapter.

  private target(scope: EmitScope) {
    return scope === 'local' ? this.server.local : this.server;
  }

  mediaUpdated(media: MediaView, scope: EmitScope = 'cluster') {
    if (this.server) this.target(scope).to(channel(media.roomId)).emit('media:updated', media);
  }

  mediaProgress(roomId: string, mediaId: string, progress: number, etaSec: number | null, scope: EmitScope = 'cluster') {
    if (this.server) this.target(scope).to(channel(roomId)).emit('media:progress', { mediaId, progress, etaSec });
  }

  mediaDeleted(roomId: string, mediaId: string, scope: EmitScope = 'cluster') {
    if (this.server) this.target(scope).to(channel(roomId)).emit('media:deleted', { mediaId });
  }
}
