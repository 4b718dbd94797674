import { describe, expect, it } from 'vitest';
import { cameraRoomFull } from '@reelroom/contracts';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryCameraStore } from '../testing/memory-camera.store.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { CameraService } from './camera.service.js';
import type { ReserveOutcome } from './camera.store.js';

const R = 'A'.repeat(22);
const user = (id: string) => ({ id, email: null, displayName: id.toUpperCase(), isGuest: true });

/** A store whose slots of a dead API process ran out while this join was reserved. */
class ExpiringStore extends MemoryCameraStore {
  override async reserve(...args: Parameters<MemoryCameraStore['reserve']>): Promise<ReserveOutcome> {
    const out = await super.reserve(...args);
    return { ...out, expired: ['ghost'] };
  }
}

function setup(limit: number, store = new MemoryCameraStore()) {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: R });
  for (let i = 0; i < 10; i++) rooms.seedMember(R, `u${i}`);
  const broadcast = new RecordingBroadcaster();
  return { broadcast, cameras: new CameraService(store, new RoomAccessPolicy(rooms), broadcast, { cameras: { limit, iceServers: [] } }) };
}

describe(CameraService.name, () => {
  it('holds the limit: reserve first, announce only what was reserved; a repeated join keeps its one slot', async () => {
    const t = setup(3);
    const results = await Promise.allSettled(
      [...Array(10).keys()].map((i) => t.cameras.join(R, `p${i}`, user(`u${i}`), { audio: true, video: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as Error).message)).toEqual(Array(7).fill(cameraRoomFull(3)));
    expect(t.broadcast.payloads('camera:joined')).toHaveLength(3);
    const first = (await t.cameras.roster(R)).peers[0];
    await t.cameras.join(R, first.peerId, user(first.userId), { audio: false, video: true });
    expect((await t.cameras.roster(R)).peers).toHaveLength(3);
    expect(t.broadcast.payloads('camera:updated')).toMatchObject([{ peerId: first.peerId, audio: false }]);
  });

  it('tells the room about slots that expired (their API process died) so tiles do not linger', async () => {
    const t = setup(6, new ExpiringStore());
    await t.cameras.join(R, 'p0', user('u0'), { audio: true, video: true });
    expect(t.broadcast.payloads('camera:left')).toEqual([{ peerId: 'ghost', reason: 'removed' }]);
  });

  it('leaving twice announces once', async () => {
    const t = setup(6);
    await t.cameras.join(R, 'p0', user('u0'), { audio: true, video: true });
    await t.cameras.leave(R, 'p0');
    await t.cameras.leave(R, 'p0');
    expect(t.broadcast.payloads('camera:left')).toEqual([{ peerId: 'p0', reason: 'left' }]);
  });
});
