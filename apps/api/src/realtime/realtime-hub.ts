import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { ChatMessage, ClientToServerEvents, Member, PlaybackStateView, RoomRole, RoomView, ServerToClientEvents } from '@reelroom/contracts';
import { initialPlaybackState } from '@reelroom/sync';
import { LOGGER } from '../common/logger.js';
import { RoomEvents } from '../rooms/room-events.js';
import { RedisLimits } from '../rooms/redis-limits.js';
import { RoomsRepository } from '../rooms/rooms.repository.js';
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

interface PresenceLike {
  members(roomId: string): Promise<Member[]>;
  connect(socketId: string, roomId: string, who: { userId: string; name: string; role: RoomRole; isGuest: boolean }): Promise<void>;
  disconnect(socketId: string, roomId?: string): Promise<void>;
  updateMember(roomId: string, userId: string, patch: { role?: RoomRole; mutedUntil?: string | null }): Promise<void>;
  changed(roomId: string): void;
}
interface PlaybackLike {
  getState(roomId: string): Promise<PlaybackStateView>;
}

const PRESENCE_EVERY_MS = 250;

/**
 * The socket.io server as seen by services: room and chat broadcasts, kicks and closes. The gateway
 * attaches its server at init. Presence and playback come from the playback module when it is loaded
 * (looked up at run time so each side builds alone); otherwise from the database and connection counts.
 */
@Injectable()
export class RealtimeHub extends RoomEvents implements ChatEvents, OnModuleDestroy {
  server: RoomServer | null = null;
  private presence: PresenceLike | null | undefined;
  private playback: PlaybackLike | null | undefined;
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly rooms: RoomsRepository,
    private readonly limits: RedisLimits,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  attach(server: RoomServer) {
    this.server = server;
  }

  private async optional<T>(spec: string, name: string): Promise<T | null> {
    try {
      const mod = (await import(spec)) as Record<string, unknown>;
      const cls = mod[name];
      return cls ? (this.moduleRef.get(cls as new (...a: never[]) => T, { strict: false }) as T) : null;
    } catch {
      return null;
    }
  }

  async presenceService(): Promise<PresenceLike | null> {
    if (this.presence === undefined) this.presence = await this.optional<PresenceLike>('../playback/presence.service.js', 'PresenceService');
    return this.presence;
  }

  async playbackService(): Promise<PlaybackLike | null> {
    if (this.playback === undefined) this.playback = await this.optional<PlaybackLike>('../playback/playback.service.js', 'PlaybackService');
    return this.playback;
  }

  /** The playback module's RoomBroadcast (if loaded) needs the server too. */
  async attachPlaybackBroadcast(server: RoomServer) {
    const b = await this.optional<{ attach(s: unknown): void }>('../playback/room-broadcast.js', 'RoomBroadcast');
    b?.attach(server);
  }

  async playbackState(roomId: string): Promise<PlaybackStateView> {
    const p = await this.playbackService();
    return p ? p.getState(roomId) : initialPlaybackState();
  }

  async members(roomId: string): Promise<Member[]> {
    const p = await this.presenceService();
    if (p) return p.members(roomId);
    const [rows, conn] = await Promise.all([this.rooms.listMembers(roomId), this.limits.hgetall(`conn:${roomId}`)]);
    return rows
      .map((r) => ({
        userId: r.userId,
        name: r.name,
        role: r.role,
        isGuest: r.isGuest,
        connections: Math.max(0, Number(conn[r.userId] ?? 0)),
        player: null,
        mutedUntil: r.mutedUntil && r.mutedUntil.getTime() > Date.now() ? r.mutedUntil.toISOString() : null,
      }))
      .filter((m) => m.connections > 0);
  }

  /** presence:update for the room, at most every 250 ms per process (trailing edge). */
  async presenceChanged(roomId: string) {
    const p = await this.presenceService();
    if (p) return p.changed(roomId);
    if (this.pending.has(roomId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(roomId);
      this.members(roomId)
        .then((members) => this.server?.to(roomChannel(roomId)).emit('presence:update', members))
        .catch((err: Error) => this.logger.warn({ roomId, err: err.message }, 'presence update failed'));
    }, PRESENCE_EVERY_MS);
    timer.unref?.();
    this.pending.set(roomId, timer);
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
    void this.presenceService().then(async (p) => {
      if (p) await p.updateMember(roomId, userId, you);
      else await this.presenceChanged(roomId);
    }).catch(() => undefined);
  }

  memberRemoved(roomId: string, userId: string, message: string): void {
    if (!this.server) return;
    this.server.to(memberChannel(roomId, userId)).emit('room:kicked', { message });
    this.server.in(memberChannel(roomId, userId)).disconnectSockets(true);
    void this.presenceChanged(roomId);
  }

  // ChatEvents

  message(roomId: string, m: ChatMessage): void {
    this.server?.to(roomChannel(roomId)).emit('chat:message', m);
  }

  updated(roomId: string, m: ChatMessage): void {
    this.server?.to(roomChannel(roomId)).emit('chat:updated', m);
  }

  onModuleDestroy() {
    for (const t of this.pending.values()) clearTimeout(t);
  }
}
