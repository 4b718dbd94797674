import type { ConnectedMember, PresenceChanged, PresenceEdit, PresenceRecord, PresenceStore } from '../playback/presence.store.js';

/** PresenceStore in memory, with RedisPresenceStore's semantics (counts forgotten at zero, first-recorded order, versions). */
export class MemoryPresenceStore implements PresenceStore {
  readonly records = new Map<string, Map<string, PresenceRecord>>();
  readonly counts = new Map<string, Map<string, number>>();
  readonly versions = new Map<string, number>();

  private room<T>(map: Map<string, Map<string, T>>, roomId: string): Map<string, T> {
    let m = map.get(roomId);
    if (!m) map.set(roomId, (m = new Map<string, T>()));
    return m;
  }

  async get(roomId: string, userId: string): Promise<PresenceRecord | null> {
    const r = this.records.get(roomId)?.get(userId);
    return r ? { ...r } : null;
  }

  async change(roomId: string, userId: string, edit: PresenceEdit): Promise<PresenceChanged | null> {
    const records = this.room(this.records, roomId);
    const prev = records.get(userId) ?? edit.create;
    if (!prev) return null;
    const record = { ...prev, ...edit.patch };
    const counts = this.room(this.counts, roomId);
    const delta = edit.connDelta ?? 0;
    const connections = Math.max(0, (counts.get(userId) ?? 0) + delta);
    if (connections === 0) {
      counts.delete(userId);
      record.player = null;
    } else counts.set(userId, connections);
    records.set(userId, record);
    const bumped = edit.visible && (connections > 0 || delta < 0);
    if (bumped) this.versions.set(roomId, (this.versions.get(roomId) ?? 0) + 1);
    return { v: this.versions.get(roomId) ?? 0, bumped, connections, record: { ...record } };
  }

  async connectedCount(roomId: string): Promise<number> {
    return this.counts.get(roomId)?.size ?? 0;
  }

  async connected(roomId: string): Promise<{ v: number; members: ConnectedMember[] }> {
    const counts = this.counts.get(roomId) ?? new Map<string, number>();
    const members = [...(this.records.get(roomId) ?? new Map<string, PresenceRecord>()).entries()]
      .filter(([userId]) => (counts.get(userId) ?? 0) > 0)
      .map(([userId, record]) => ({ userId, record: { ...record }, connections: counts.get(userId)! }));
    return { v: this.versions.get(roomId) ?? 0, members };
  }
}
