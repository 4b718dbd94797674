import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Member, PlayerStatus, RoomRole } from '@reelroom/contracts';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { PresenceStore, type PresenceRecord } from './presence.store.js';

export interface PresenceIdentity {
  userId: string;
  name: string;
  role: RoomRole;
  isGuest: boolean;
}

/** presence:update at most this often per room (trailing edge), whatever the churn. */
export const PRESENCE_BROADCAST_EVERY_MS = 250;

/**
 * The rules of who is in each room: a socket joining or leaving, player reports, role and mute changes,
 * and a throttled `presence:update`. The shared state lives in PresenceStore (Redis, across processes);
 * this process remembers only which of its own sockets joined which room, to count them down on
 * disconnect.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly sockets = new Map<string, Map<string, string>>(); // socketId -> roomId -> userId
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly store: PresenceStore,
    private readonly broadcast: RoomBroadcaster,
  ) {}

  /**
   * A socket joined the room's channel. Idempotent per socket and room. Returns the user's connected
   * sockets in the room after this one (1 = they just arrived), or null when this socket was counted already.
   */
  async connect(socketId: string, roomId: string, who: PresenceIdentity): Promise<number | null> {
    const rooms = this.sockets.get(socketId) ?? new Map<string, string>();
    if (rooms.has(roomId)) return null;
    rooms.set(roomId, who.userId);
    this.sockets.set(socketId, rooms);
    const prev = await this.store.get(roomId, who.userId);
    await this.store.put(roomId, who.userId, {
      name: who.name,
      role: who.role,
      isGuest: who.isGuest,
      player: prev?.player ?? null,
      mutedUntil: prev?.mutedUntil ?? null,
      rttMs: prev?.rttMs ?? null,
    });
    const sockets = await this.store.addConnection(roomId, who.userId);
    this.changed(roomId);
    return sockets;
  }

  /** How many people (not sockets) are connected to the room. */
  connectedCount(roomId: string): Promise<number> {
    return this.store.connectedCount(roomId);
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
      const left = await this.store.removeConnection(r, userId);
      out.set(r, left);
      if (left === 0) {
        // Gone: their last player status must not hold the room ("wait for everyone").
        const prev = await this.store.get(r, userId);
        if (prev) await this.store.put(r, userId, { ...prev, player: null });
      }
      this.changed(r);
    }
    if (rooms.size === 0) this.sockets.delete(socketId);
    return out;
  }

  /** The rooms this process's socket has joined (and as whom). */
  roomsOf(socketId: string): Map<string, string> {
    return this.sockets.get(socketId) ?? new Map<string, string>();
  }

  /** Members with at least one connected socket. */
  async members(roomId: string): Promise<Member[]> {
    return (await this.store.connected(roomId)).map(({ userId, record: m, connections }) => ({
      userId,
      name: m.name,
      role: m.role,
      isGuest: m.isGuest,
      connections,
      player: m.player,
      mutedUntil: m.mutedUntil,
    }));
  }

  /** Round trips of the connected members (for the scheduling lead). */
  async rtts(roomId: string): Promise<number[]> {
    return (await this.store.connected(roomId)).map((m) => m.record.rttMs).filter((r): r is number => typeof r === 'number');
  }

  async setRtt(roomId: string, userId: string, rttMs: number): Promise<void> {
    const prev = await this.store.get(roomId, userId);
    if (!prev || prev.rttMs === Math.round(rttMs)) return;
    await this.store.put(roomId, userId, { ...prev, rttMs: Math.round(rttMs) });
  }

  /**
   * Stores a player status; broadcasts presence only when something a person would see changed
   * (state, "don't wait", or the drift by half a second or more).
   */
  async setPlayer(roomId: string, userId: string, status: PlayerStatus): Promise<void> {
    const prev = await this.store.get(roomId, userId);
    if (!prev) return;
    await this.store.put(roomId, userId, { ...prev, player: status });
    const p = prev.player;
    if (!p || p.state !== status.state || p.noWait !== status.noWait || Math.round(p.driftMs / 500) !== Math.round(status.driftMs / 500)) {
      this.changed(roomId);
    }
  }

  /** Role or mute changed elsewhere (moderation): keep presence in step. */
  async updateMember(roomId: string, userId: string, patch: Partial<Pick<PresenceRecord, 'role' | 'mutedUntil' | 'name'>>): Promise<void> {
    const prev = await this.store.get(roomId, userId);
    if (!prev) return;
    await this.store.put(roomId, userId, { ...prev, ...patch });
    this.changed(roomId);
  }

  /** Schedules a throttled presence:update for the room. */
  changed(roomId: string): void {
    if (this.pending.has(roomId)) return;
    const wait = Math.max(0, (this.lastSent.get(roomId) ?? 0) + PRESENCE_BROADCAST_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      this.pending.delete(roomId);
      this.lastSent.set(roomId, Date.now());
      this.members(roomId)
        .then((members) => this.broadcast.toRoom(roomId, 'presence:update', members))
        .catch(() => undefined);
    }, wait);
    timer.unref?.();
    this.pending.set(roomId, timer);
  }

  onModuleDestroy() {
    for (const t of this.pending.values()) clearTimeout(t);
  }
}
