import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaRecord, MediaRepository } from '../media/media.repository.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import type { MembershipRecord, RoomRecord } from '../rooms/rooms.repository.js';
import { MemoryLiveRepository } from '../testing/memory-live.repository.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { ACCESS_MAX_AGE_MS, HlsAccess } from './hls-access.js';

/** No media rows: every id read here is a live's stream id (the LL-HLS case). */
class NoMedia implements MediaRepository {
  async findById(): Promise<MediaRecord | null> {
    return null;
  }
  create(): Promise<MediaRecord> {
    throw new Error('not used');
  }
  listByRoom(): Promise<MediaRecord[]> {
    throw new Error('not used');
  }
  resetForRetry(): Promise<boolean> {
    throw new Error('not used');
  }
  cancel(): Promise<boolean> {
    throw new Error('not used');
  }
  markFailed(): Promise<void> {
    throw new Error('not used');
  }
  delete(): Promise<void> {
    throw new Error('not used');
  }
  deleteAndRelease(): Promise<{ last: boolean } | null> {
    throw new Error('not used');
  }
}

/** Counts the membership reads (one PostgreSQL query each in production). */
class CountingRooms extends MemoryRoomsRepository {
  reads = 0;
  override async standing(roomId: string, userId: string): Promise<{ room: RoomRecord | null; membership: MembershipRecord | null }> {
    this.reads += 1;
    return super.standing(roomId, userId);
  }
}

describe(HlsAccess.name, () => {
  const stream = '0b1e6a2c-5d4f-4c3b-9a8e-7f6d5c4b3a21';
  const viewer = { cacheKey: 'session-1', userId: 'viewer' };
  let rooms: CountingRooms;
  let access: HlsAccess;

  beforeEach(async () => {
    vi.useFakeTimers({ now: new Date('2026-12-06T12:00:00Z') });
    rooms = new CountingRooms();
    const lives = new MemoryLiveRepository(rooms);
    rooms.seed({ id: 'room-1' });
    rooms.seedMember('room-1', 'viewer');
    await lives.setKey('room-1', 'key-hash', 'low');
    await lives.claim('room-1', 'key-hash', stream, new Date(0));
    access = new HlsAccess(new NoMedia(), lives, new RoomAccessPolicy(rooms));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('LL-HLS blocking reloads reuse a yes younger than a second: one membership read a second, not one per reload', async () => {
    const reload = () => access.folderFor(viewer, stream, { maxAgeMs: ACCESS_MAX_AGE_MS.blockingReload });
    expect(await reload()).toBe(stream);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(150);
      expect(await reload()).toBe(stream);
    }
    expect(rooms.reads).toBe(1);
    vi.advanceTimersByTime(300);
    expect(await reload()).toBe(stream);
    expect(rooms.reads).toBe(2);
  });

  it('a kick stops blocking reloads within the second, and a plain playlist reload at once', async () => {
    expect(await access.folderFor(viewer, stream, { maxAgeMs: ACCESS_MAX_AGE_MS.blockingReload })).toBe(stream);
    await rooms.removeMember('room-1', 'viewer');
    expect(await access.folderFor(viewer, stream, { maxAgeMs: ACCESS_MAX_AGE_MS.playlist })).toBeNull();
    // The refusal is not cached either way: the next blocking reload reads again and is refused.
    expect(await access.folderFor(viewer, stream, { maxAgeMs: ACCESS_MAX_AGE_MS.blockingReload })).toBeNull();
  });

  it('a ban reaches a blocking reload once its cached yes is a second old', async () => {
    const reload = () => access.folderFor(viewer, stream, { maxAgeMs: ACCESS_MAX_AGE_MS.blockingReload });
    expect(await reload()).toBe(stream);
    await rooms.ban('room-1', 'viewer');
    vi.advanceTimersByTime(ACCESS_MAX_AGE_MS.blockingReload);
    expect(await reload()).toBeNull();
    // And its segments too: the refusal dropped the cached yes.
    expect(await access.folderFor(viewer, stream)).toBeNull();
  });

  it('a no is never cached: someone who joins is let in at once', async () => {
    const newcomer = { cacheKey: 'session-2', userId: 'newcomer' };
    expect(await access.folderFor(newcomer, stream)).toBeNull();
    rooms.seedMember('room-1', 'newcomer');
    expect(await access.folderFor(newcomer, stream)).toBe(stream);
  });
});
