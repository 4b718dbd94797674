import type {
  ConnectedMember,
  PresenceChanged,
  PresenceEdit,
  PresenceRecord,
  PresenceStore,
  SweptMember,
} from '../playback/presence.store.js';

/** The state every MemoryPresenceStore of one test shares: one per simulated API process, like Redis. */
class MemoryPresenceState {
  readonly records = new Map<string, Map<string, PresenceRecord>>();
  readonly counts = new Map<string, Map<string, number>>();
  readonly versions = new Map<string, number>();
  /** process id -> "<roomId>\n<userId>" -> that process's sockets of the person. */
  readonly owned = new Map<string, Map<string, number>>();
  /** process id -> its last heartbeat (ms on `now`). */
  readonly beats = new Map<string, number>();
  now = () => Date.now();
}

function room<T>(map: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let m = map.get(key);
  if (!m) map.set(key, (m = new Map<string, T>()));
  return m;
}

/** PresenceStore in memory, with RedisPresenceStore's semantics (counts forgotten at zero, first-recorded order, versions, owners). */
export class MemoryPresenceStore implements PresenceStore {
  constructor(
    readonly processId = 'p1',
    readonly state = new MemoryPresenceState(),
  ) {}

  /** Another simulated API process on the same state. */
  process(processId: string): MemoryPresenceStore {
    return new MemoryPresenceStore(processId, this.state);
  }

  async get(roomId: string, userId: string): Promise<PresenceRecord | null> {
    const r = this.state.records.get(roomId)?.get(userId);
    return r ? { ...r } : null;
  }

  async change(roomId: string, userId: string, edit: PresenceEdit): Promise<PresenceChanged | null> {
    const records = room(this.state.records, roomId);
    const prev = records.get(userId) ?? edit.create;
    if (!prev) return null;
    const record = { ...prev, ...edit.patch };
    const own = room(this.state.owned, this.processId);
    const field = `${roomId}\n${userId}`;
    const owned = own.get(field) ?? 0;
    // Only sockets this process still owns are counted out (RedisPresenceStore's CHANGE).
    let delta = edit.ownSockets !== undefined ? edit.ownSockets - owned : Math.max(edit.connDelta ?? 0, -owned);
    if (delta === 0) delta = 0; // no -0
    const stale = delta === 0 && (edit.connDelta ?? 0) < 0;
    const visible = edit.visible && !stale && (edit.ownSockets === undefined || delta !== 0);
    if (delta !== 0) this.add(own, field, delta);
    const connections =
      delta !== 0 ? this.add(room(this.state.counts, roomId), userId, delta) : (this.state.counts.get(roomId)?.get(userId) ?? 0);
    if (connections === 0) record.player = null;
    records.set(userId, record);
    const bumped = visible && (connections > 0 || delta < 0);
    if (bumped) this.bump(roomId);
    return { v: this.state.versions.get(roomId) ?? 0, bumped, connections, record: { ...record } };
  }

  async connectedCount(roomId: string): Promise<number> {
    return this.state.counts.get(roomId)?.size ?? 0;
  }

  async connected(roomId: string): Promise<{ v: number; members: ConnectedMember[] }> {
    const counts = this.state.counts.get(roomId) ?? new Map<string, number>();
    const members = [...(this.state.records.get(roomId) ?? new Map<string, PresenceRecord>()).entries()]
      .filter(([userId]) => (counts.get(userId) ?? 0) > 0)
      .map(([userId, record]) => ({ userId, record: { ...record }, connections: counts.get(userId)! }));
    return { v: this.state.versions.get(roomId) ?? 0, members };
  }

  async heartbeat(): Promise<boolean> {
    const known = this.state.beats.has(this.processId);
    this.state.beats.set(this.processId, this.state.now());
    return known;
  }

  async sweep(opts: { expiryMs: number; limit: number; own?: boolean }): Promise<{ removed: number; members: SweptMember[] }> {
    const cutoff = this.state.now() - opts.expiryMs;
    const pid = opts.own ? this.processId : [...this.state.beats].find(([, at]) => at <= cutoff)?.[0];
    if (pid === undefined) return { removed: 0, members: [] };
    const own = this.state.owned.get(pid) ?? new Map<string, number>();
    const held = [...own].slice(0, opts.limit);
    const members: SweptMember[] = [];
    for (const [field, n] of held) {
      own.delete(field);
      const [roomId, userId] = field.split('\n');
      const connections = this.add(room(this.state.counts, roomId), userId, -n);
      const record = this.state.records.get(roomId)?.get(userId);
      if (!record) continue;
      if (connections === 0) record.player = null;
      members.push({ roomId, userId, v: this.bump(roomId), connections, record: { ...record } });
    }
    if (own.size === 0) {
      this.state.owned.delete(pid);
      this.state.beats.delete(pid);
    }
    return { removed: held.length, members };
  }

  private add(map: Map<string, number>, key: string, delta: number): number {
    const n = Math.max(0, (map.get(key) ?? 0) + delta);
    if (n === 0) map.delete(key);
    else map.set(key, n);
    return n;
  }

  private bump(roomId: string): number {
    const v = (this.state.versions.get(roomId) ?? 0) + 1;
    this.state.versions.set(roomId, v);
    return v;
  }
}
