import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Member, PlayerStatus, RoomRole } from '@reelroom/contracts';
import { PlaybackRedis } from './redis-keys.js';
import { RoomBroadcast } from './room-broadcast.js';

interface StoredMember {
  name: string;
  role: RoomRole;
  isGuest: boolean;
  player: PlayerStatus | null;
  mutedUntil: string | null;
  /** Best round trip this user's client measured (ms), for the scheduling lead. */
  rttMs: number | null;
}

export interface PresenceIdentity {
  userId: string;
  name: string;
  role: RoomRole;
  isGuest: boolean;
}

/** presence:update at most this often per room (trailing edge), whatever the churn. */
const BROADCAST_EVERY_MS = 250;
const TTL_SEC = 24 * 3600;

/**
 * Who is in each room, across API processes:
 *   `<prefix>:presence:<roomId>`       hash userId -> JSON {name, role, isGuest, player, mutedUntil, rttMs}
 *   `<prefix>:presence:<roomId>:conn`  hash userId -> connected sockets (HINCRBY: atomic across processes)
 * This process remembers which of its own sockets joined which room, to count them down on disconnect.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly sockets = new Map<string, Map<string, string>>(); // socketId -> roomId -> userId
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly redis: PlaybackRedis,
    private readonly broadcast: RoomBroadcast,
  ) {}

  private infoKey(roomId: string) {
    return this.redis.key('presence', roomId);
  }
  private connKey(roomId: string) {
    return this.redis.key('presence', roomId, 'conn');
  }

  private async read(roomId: string, userId: string): Promise<StoredMember | null> {
    const raw = await this.redis.client.hget(this.infoKey(roomId), userId);
    return raw ? (JSON.parse(raw) as StoredMember) : null;
  }

  private async write(roomId: string, userId: string, m: StoredMember): Promise<void> {
    await this.redis.client.multi().hset(this.infoKey(roomId), userId, JSON.stringify(m)).expire(this.infoKey(roomId), TTL_SEC).exec();
  }

  /**
   * A socket joined the room's channel. Idempotent per socket and room. Returns the user's connected
   * sockets in the room after this one (1 = they just arrived), or null when this socket was counted already.
   */
  async connect(socketId: string, roomId: string, who: PresenceIdentity): Promise<number | null> {
    const rooms = this.sockets.get(socketId) ?? new Map<string, string>();
    if (rooms.has(roomId)) return null;
    rooms.set(roomId, who.userId);
    this.sockets.set(socketId, rooms);
    const prev = await this.read(roomId, who.userId);
    await this.write(roomId, who.userId, {
      name: who.name,
      role: who.role,
      isGuest: who.isGuest,
      player: prev?.player ?? null,
      mutedUntil: prev?.mutedUntil ?? null,
      rttMs: prev?.rttMs ?? null,
    });
    const res = await this.redis.client.multi().hincrby(this.connKey(roomId), who.userId, 1).expire(this.connKey(roomId), TTL_SEC).exec();
    this.changed(roomId);
    return Number(res?.[0]?.[1] ?? 1);
  }

  /** How many people (not sockets) are connected to the room: fields are deleted when they reach 0. */
  connectedCount(roomId: string): Promise<number> {
    return this.redis.client.hlen(this.connKey(roomId));
  }

  /**
   * A socket left one room (room:leave), or every room it was in (disconnect) when roomId is omitted.
   * Returns, per room it was counted in, the user's sockets left there (0 = they are gone).
   */
  async disconnect(socketId: string, roomId?: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const rooms = this.sockets.get(socketId);
    if (!rooms) return out;
    const targets = roomId ? (rooms.has(roomId) ? [roomId] : []) : [...rooms.keys()];
    for (const r of targets) {
      const userId = rooms.get(r)!;
      rooms.delete(r);
      const left = await this.redis.client.hincrby(this.connKey(r), userId, -1);
      out.set(r, Math.max(0, left));
      if (left <= 0) {
        await this.redis.client.hdel(this.connKey(r), userId);
        // Gone: their last player status must not hold the room ("wait for everyone").
        const prev = await this.read(r, userId);
        if (prev) await this.write(r, userId, { ...prev, player: null });
      }
      this.changed(r);
    }
    if (rooms.size === 0) this.sockets.delete(socketId);
    return out;
  }

  /** The rooms this process's socket has joined (and as whom). */
  roomsOf(socketId: string): Map<string, string> {
    return this.sockets.get(socketId) ?? new Map();
  }

  /** Members with at least one connected socket, in join order of the hash. */
  async members(roomId: string): Promise<Member[]> {
    const [info, conn] = await Promise.all([
      this.redis.client.hgetall(this.infoKey(roomId)),
      this.redis.client.hgetall(this.connKey(roomId)),
    ]);
    const out: Member[] = [];
    for (const [userId, raw] of Object.entries(info)) {
      const connections = Number(conn[userId] ?? 0);
      if (connections <= 0) continue;
      const m = JSON.parse(raw) as StoredMember;
      out.push({ userId, name: m.name, role: m.role, isGuest: m.isGuest, connections, player: m.player, mutedUntil: m.mutedUntil });
    }
    return out;
  }

  /** Round trips of the connected members (for the scheduling lead). */
  async rtts(roomId: string): Promise<number[]> {
    const [info, conn] = await Promise.all([
      this.redis.client.hgetall(this.infoKey(roomId)),
      this.redis.client.hgetall(this.connKey(roomId)),
    ]);
    return Object.entries(info)
      .filter(([userId]) => Number(conn[userId] ?? 0) > 0)
      .map(([, raw]) => (JSON.parse(raw) as StoredMember).rttMs)
      .filter((r): r is number => typeof r === 'number');
  }

  async setRtt(roomId: string, userId: string, rttMs: number): Promise<void> {
    const prev = await this.read(roomId, userId);
    if (!prev || prev.rttMs === Math.round(rttMs)) return;
    await this.write(roomId, userId, { ...prev, rttMs: Math.round(rttMs) });
  }

  /**
   * Stores a player status; broadcasts presence only when something a person would see changed
   * (state, "don't wait", or the drift by half a second or more).
   */
  async setPlayer(roomId: string, userId: string, status: PlayerStatus): Promise<void> {
    const prev = await this.read(roomId, userId);
    if (!prev) return;
    await this.write(roomId, userId, { ...prev, player: status });
    const p = prev.player;
    if (!p || p.state !== status.state || p.noWait !== status.noWait || Math.round(p.driftMs / 500) !== Math.round(status.driftMs / 500)) {
      this.changed(roomId);
    }
  }

  /** Role or mute changed elsewhere (moderation): keep presence in step. */
  async updateMember(roomId: string, userId: string, patch: Partial<Pick<StoredMember, 'role' | 'mutedUntil' | 'name'>>): Promise<void> {
    const prev = await this.read(roomId, userId);
    if (!prev) return;
    await this.write(roomId, userId, { ...prev, ...patch });
    this.changed(roomId);
  }

  /** Schedules a throttled presence:update for the room. */
  changed(roomId: string): void {
    if (this.pending.has(roomId)) return;
    const wait = Math.max(0, (this.lastSent.get(roomId) ?? 0) + BROADCAST_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      this.pending.delete(roomId);
      this.lastSent.set(roomId, Date.now());
      this.members(roomId)
        .then((members) => this.broadcast.emit(roomId, 'presence:update', members))
        .catch(() => undefined);
    }, wait);
    timer.unref?.();
    this.pending.set(roomId, timer);
  }

  onModuleDestroy() {
    for (const t of this.pending.values()) clearTimeout(t);
  }
}
