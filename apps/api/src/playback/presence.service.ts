import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Member, PlayerStatus, PresenceChange, PresenceList, RoomRole } from '@reelroom/contracts';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { PresenceStore, type PresenceChanged, type PresenceEdit, type PresenceRecord, type SweptMember } from './presence.store.js';

export interface PresenceIdentity {
  userId: string;
  name: string;
  role: RoomRole;
  isGuest: boolean;
}

/**
 * Changes made in this process are sent as one `presence:delta` per room at most this often: a join
 * storm becomes a few small messages per second instead of one per join. Presence is not latency-critical.
 */
export const PRESENCE_BATCH_MS = 100;

function toMember(userId: string, r: PresenceRecord, connections: number): Member {
  return { userId, name: r.name, role: r.role, isGuest: r.isGuest, connections, player: r.player, mutedUntil: r.mutedUntil };
}

/**
 * The rules of who is in each room: a socket joining or leaving, player reports, role and mute changes.
 * The shared state lives in PresenceStore (Redis, across processes), versioned per room (issue 10): each
 * visible change takes the next version and goes out as that one member's change in a batched
 * `presence:delta`; the whole list goes only to a joiner (the snapshot) or a client that saw a gap
 * (`presence:get`). This process remembers only which of its own sockets joined which room, to count
 * them down on disconnect.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly sockets = new Map<string, Map<string, string>>(); // socketId -> roomId -> userId
  private readonly pending = new Map<string, { changes: PresenceChange[]; timer: NodeJS.Timeout }>();

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
    const identity = { name: who.name, role: who.role, isGuest: who.isGuest };
    const changed = await this.edit(roomId, who.userId, {
      patch: identity,
      create: { ...identity, player: null, mutedUntil: null, rttMs: null },
      connDelta: 1,
      visible: true,
    });
    return changed!.connections;
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
      // At 0 the store forgets their player status too: it must not hold the room ("wait for everyone").
      const changed = await this.edit(r, userId, { patch: {}, connDelta: -1, visible: true });
      out.set(r, changed?.connections ?? 0);
    }
    if (rooms.size === 0) this.sockets.delete(socketId);
    return out;
  }

  /** The rooms this process's socket has joined (and as whom). */
  roomsOf(socketId: string): Map<string, string> {
    return this.sockets.get(socketId) ?? new Map<string, string>();
  }

  /** The whole list with its version: the join snapshot and the answer to `presence:get`. */
  async list(roomId: string): Promise<PresenceList> {
    const { v, members } = await this.store.connected(roomId);
    return { v, members: members.map((m) => toMember(m.userId, m.record, m.connections)) };
  }

  /** Members with at least one connected socket. */
  async members(roomId: string): Promise<Member[]> {
    return (await this.list(roomId)).members;
  }

  /** Round trips of the connected members (for the scheduling lead). */
  async rtts(roomId: string): Promise<number[]> {
    return (await this.store.connected(roomId)).members.map((m) => m.record.rttMs).filter((r): r is number => typeof r === 'number');
  }

  async setRtt(roomId: string, userId: string, rttMs: number): Promise<void> {
    const prev = await this.store.get(roomId, userId);
    if (!prev || prev.rttMs === Math.round(rttMs)) return;
    await this.edit(roomId, userId, { patch: { rttMs: Math.round(rttMs) }, visible: false });
  }

  /**
   * Stores a player status; it goes out only when something a person would see changed (state,
   * "don't wait", or the drift by half a second or more).
   */
  async setPlayer(roomId: string, userId: string, status: PlayerStatus): Promise<void> {
    const prev = await this.store.get(roomId, userId);
    if (!prev) return;
    const p = prev.player;
    const visible =
      !p || p.state !== status.state || p.noWait !== status.noWait || Math.round(p.driftMs / 500) !== Math.round(status.driftMs / 500);
    await this.edit(roomId, userId, { patch: { player: status }, visible });
  }

  /** Role or mute changed elsewhere (moderation): keep presence in step. */
  async updateMember(roomId: string, userId: string, patch: Partial<Pick<PresenceRecord, 'role' | 'mutedUntil' | 'name'>>): Promise<void> {
    await this.edit(roomId, userId, { patch, visible: true });
  }

  /**
   * Counts this process's sockets in again, exactly as many per person as it holds, after a sweep took
   * them out while it was alive but silent (a stall, a Redis outage longer than the expiry).
   */
  async reclaim(): Promise<void> {
    const held = new Map<string, { roomId: string; userId: string; n: number }>();
    for (const rooms of this.sockets.values())
      for (const [roomId, userId] of rooms) {
        const key = `${roomId}\n${userId}`;
        const entry = held.get(key) ?? { roomId, userId, n: 0 };
        entry.n += 1;
        held.set(key, entry);
      }
    for (const { roomId, userId, n } of held.values()) await this.edit(roomId, userId, { patch: {}, ownSockets: n, visible: true });
  }

  /** Sockets a sweep counted out (a dead process's, or ours at shutdown): each goes out as an ordinary change. */
  sweptOut(members: SweptMember[]): void {
    for (const m of members)
      this.queue(
        m.roomId,
        m.connections > 0
          ? { v: m.v, kind: 'upsert', member: toMember(m.userId, m.record, m.connections) }
          : { v: m.v, kind: 'leave', userId: m.userId },
      );
  }

  /** Applies one edit and queues its change for the room's next `presence:delta` when it took a version. */
  private async edit(roomId: string, userId: string, edit: PresenceEdit): Promise<PresenceChanged | null> {
    const changed = await this.store.change(roomId, userId, edit);
    if (changed?.bumped)
      this.queue(
        roomId,
        changed.connections > 0
          ? { v: changed.v, kind: 'upsert', member: toMember(userId, changed.record, changed.connections) }
          : { v: changed.v, kind: 'leave', userId },
      );
    return changed;
  }

  private queue(roomId: string, change: PresenceChange): void {
    const batch = this.pending.get(roomId);
    if (batch) return void batch.changes.push(change);
    const timer = setTimeout(() => this.send(roomId), PRESENCE_BATCH_MS);
    timer.unref?.();
    this.pending.set(roomId, { changes: [change], timer });
  }

  private send(roomId: string): void {
    const batch = this.pending.get(roomId);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.pending.delete(roomId);
    // Awaited edits finish out of order under load: versions go out ascending, as clients apply them.
    this.broadcast.toRoom(roomId, 'presence:delta', { changes: batch.changes.sort((a, b) => a.v - b.v) });
  }

  /** Sends every queued change now (shutdown: other processes' clients must hear our leaves). */
  flush(): void {
    for (const roomId of [...this.pending.keys()]) this.send(roomId);
  }

  onModuleDestroy() {
    this.flush();
  }
}
