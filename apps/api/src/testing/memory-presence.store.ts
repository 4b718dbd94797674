import type { ConnectedMember, PresenceRecord, PresenceStore } from '../playback/presence.store.js';

/** PresenceStore in memory, with Redis's semantics (counts forgotten at zero, first-recorded order). */
export class MemoryPresenceStore implements PresenceStore {
  readonly records = new Map<string, Map<string, PresenceRecord>>();
  readonly counts = new Map<string, Map<string, number>>();

  private room<T>(map: Map<string, Map<string, T>>, roomId: string): Map<string, T> {
    let m = map.get(roomId);
    if (!m) map.set(roomId, (m = new Map<string, T>()));
    return m;
  }

  async get(roomId: string, userId: string): Promise<PresenceRecord | null> {
    const r = this.records.get(roomId)?.get(userId);
    return r ? { ...r } : null;
  }

  async put(roomId: string, userId: string, record: PresenceRecord): Promise<void> {
    this.room(this.records, roomId).set(userId, { ...record });
  }

  async addConnection(roomId: string, userId: string): Promise<number> {
    const c = this.room(this.counts, roomId);
    c.set(userId, (c.get(userId) ?? 0) + 1);
    return c.get(userId)!;
  }

  async removeConnection(roomId: string, userId: string): Promise<number> {
    const c = this.room(this.counts, roomId);
    const left = (c.get(userId) ?? 0) - 1;
    if (left <= 0) c.delete(userId);
    else c.set(userId, left);
    return Math.max(0, left);
  }

  async connectedCount(roomId: string): Promise<number> {
    return this.counts.get(roomId)?.size ?? 0;
  }

  async connected(roomId: string): Promise<ConnectedMember[]> {
    const counts = this.counts.get(roomId) ?? new Map<string, number>();
    return [...(this.records.get(roomId) ?? new Map<string, PresenceRecord>()).entries()]
      .filter(([userId]) => (counts.get(userId) ?? 0) > 0)
      .map(([userId, record]) => ({ userId, record: { ...record }, connections: counts.get(userId)! }));
  }
}
