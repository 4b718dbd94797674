import type { CameraMedia, CameraPeer } from '@reelroom/contracts';
import { CameraStore, toCameraPeer, type CameraEntry, type ReserveOutcome } from '../cameras/camera.store.js';

/** CameraStore in memory, with the Redis store's semantics (no leases: nothing expires here). */
export class MemoryCameraStore extends CameraStore {
  readonly rooms = new Map<string, Map<string, CameraEntry>>();

  private room(roomId: string): Map<string, CameraEntry> {
    let m = this.rooms.get(roomId);
    if (!m) this.rooms.set(roomId, (m = new Map<string, CameraEntry>()));
    return m;
  }

  async reserve(roomId: string, peerId: string, entry: CameraEntry, limit: number): Promise<ReserveOutcome> {
    const room = this.room(roomId);
    const kind = room.has(peerId) ? 'updated' : room.size < limit ? 'reserved' : 'full';
    if (kind !== 'full') room.set(peerId, { ...entry });
    return { kind, expired: [] };
  }

  async update(roomId: string, peerId: string, media: CameraMedia): Promise<CameraEntry | null> {
    const e = this.room(roomId).get(peerId);
    if (!e) return null;
    Object.assign(e, media);
    return { ...e };
  }

  async release(roomId: string, peerId: string): Promise<boolean> {
    return this.room(roomId).delete(peerId);
  }

  async releaseUser(roomId: string, userId: string): Promise<string[]> {
    const room = this.room(roomId);
    const freed = [...room].filter(([, e]) => e.userId === userId).map(([id]) => id);
    for (const id of freed) room.delete(id);
    return freed;
  }

  async entries(roomId: string, peerIds: string[]): Promise<Array<CameraEntry | null>> {
    return peerIds.map((id) => this.room(roomId).get(id) ?? null);
  }

  async list(roomId: string): Promise<CameraPeer[]> {
    return [...this.room(roomId)].map(([id, e]) => toCameraPeer(id, e));
  }
}
