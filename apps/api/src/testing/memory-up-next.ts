import type { QueueItemView } from '@reelroom/contracts';
import type { SkipVoteStore } from '../up-next/skip-vote.store.js';
import type { AddResult, QueueItemRecord, QueueMediaRecord, UpNextRepository } from '../up-next/up-next.repository.js';

interface Row extends QueueItemRecord {
  roomId: string;
}

/** UpNextRepository in memory: one array per room in play order (the lock is JavaScript's single thread). */
export class MemoryUpNextRepository implements UpNextRepository {
  readonly media = new Map<string, QueueMediaRecord & { roomId: string; playable: boolean }>();
  private readonly rows: Row[] = [];
  private nextId = 1;

  /** Test set-up: a media item of a room. */
  seedMedia(roomId: string, id: string, over: Partial<QueueMediaRecord & { playable: boolean }> = {}): void {
    this.media.set(id, { id, roomId, originalName: `${id}.mp4`, status: 'ready', durationSec: 60, playable: true, ...over });
  }

  private inRoom(roomId: string): Row[] {
    return this.rows.filter((r) => r.roomId === roomId);
  }

  async list(roomId: string): Promise<QueueItemView[]> {
    return this.inRoom(roomId).map((r) => {
      const m = this.media.get(r.mediaId)!;
      return {
        id: r.id,
        mediaId: r.mediaId,
        name: r.name,
        durationSec: m.durationSec,
        playable: m.playable,
        addedBy: r.addedById ? { userId: r.addedById, name: r.addedById } : null,
      };
    });
  }

  async mediaInRoom(roomId: string, mediaId: string): Promise<QueueMediaRecord | null> {
    const m = this.media.get(mediaId);
    return m && m.roomId === roomId ? m : null;
  }

  async durationSec(mediaId: string): Promise<number | null> {
    return this.media.get(mediaId)?.durationSec ?? null;
  }

  async add(roomId: string, mediaId: string, addedById: string, max: number): Promise<AddResult> {
    if (this.inRoom(roomId).length >= max) return { kind: 'full' };
    const item: Row = { id: `item-${this.nextId++}`, roomId, mediaId, name: this.media.get(mediaId)!.originalName, addedById };
    this.rows.push(item);
    return { kind: 'added', item };
  }

  async item(roomId: string, itemId: string): Promise<QueueItemRecord | null> {
    return this.inRoom(roomId).find((r) => r.id === itemId) ?? null;
  }

  async move(roomId: string, itemId: string, index: number): Promise<boolean> {
    const from = this.rows.findIndex((r) => r.id === itemId && r.roomId === roomId);
    if (from < 0) return false;
    const [row] = this.rows.splice(from, 1);
    const others = this.inRoom(roomId);
    const before = others[Math.min(index, others.length)];
    this.rows.splice(before ? this.rows.indexOf(before) : this.rows.length, 0, row);
    return true;
  }

  async remove(roomId: string, itemId: string): Promise<boolean> {
    const i = this.rows.findIndex((r) => r.id === itemId && r.roomId === roomId);
    if (i < 0) return false;
    this.rows.splice(i, 1);
    return true;
  }

  async next(roomId: string): Promise<QueueItemRecord | null> {
    return this.inRoom(roomId).find((r) => this.media.get(r.mediaId)?.playable) ?? null;
  }
}

/** SkipVoteStore in memory, with the same atomic claim as the Redis script. */
export class MemorySkipVoteStore implements SkipVoteStore {
  private readonly gens = new Map<string, number>();
  private readonly votes = new Map<string, Set<string>>();

  async generation(roomId: string): Promise<number> {
    return this.gens.get(roomId) ?? 0;
  }

  async claim(roomId: string, gen: number): Promise<boolean> {
    if ((this.gens.get(roomId) ?? 0) !== gen) return false;
    this.gens.set(roomId, gen + 1);
    return true;
  }

  async vote(roomId: string, gen: number, mediaId: string, userId: string): Promise<string[]> {
    const key = `${roomId}/${gen}/${mediaId}`;
    const set = this.votes.get(key) ?? new Set<string>();
    set.add(userId);
    this.votes.set(key, set);
    return [...set];
  }

  async voters(roomId: string, gen: number, mediaId: string): Promise<string[]> {
    return [...(this.votes.get(`${roomId}/${gen}/${mediaId}`) ?? [])];
  }
}
