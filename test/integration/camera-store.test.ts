import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCameraStore } from '../../apps/api/src/cameras/redis-camera.store.js';
import { RedisConnections } from '../../apps/api/src/redis/redis-connections.js';
import { silentLogger } from '../../apps/api/src/testing/silent-logger.js';
import { eventually } from '../support/wait.js';

/**
 * The camera slots against the real Redis, as API processes share them: each "process" is its own store
 * with its own connection. The scripts hold the limit, keep a repeated join to one slot, free every tab
 * of a kicked person, and let the slots of a process that stopped renewing them (crashed) expire.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `rrtest-cams-${randomBytes(4).toString('hex')}`;
const opened: Array<{ conns: RedisConnections; store: RedisCameraStore }> = [];
const R = 'A'.repeat(22);

function apiProcess() {
  const conns = new RedisConnections({ redisUrl: REDIS_URL, queuePrefix: prefix }, silentLogger);
  const store = new RedisCameraStore(conns);
  opened.push({ conns, store });
  return store;
}
const entry = (userId: string) => ({ userId, name: userId, audio: true, video: true, since: Date.now() });

afterAll(async () => {
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
  for (const { conns, store } of opened) {
    store.onModuleDestroy();
    await conns.onApplicationShutdown();
  }
});

describe('RedisCameraStore on Redis', () => {
  it('holds the limit across processes, keeps a repeated join to its slot, frees all tabs of one person', async () => {
    const [a, b] = [apiProcess(), apiProcess()];
    const outcomes = await Promise.all([...Array(8).keys()].map((i) => (i % 2 ? a : b).reserve(R, `peer-${i}`, entry(`u${i % 3}`), 4)));
    expect(outcomes.filter((o) => o.kind === 'reserved')).toHaveLength(4);
    expect(outcomes.filter((o) => o.kind === 'full')).toHaveLength(4);
    const inside = (await a.list(R)).map((p) => p.peerId);
    expect(inside).toHaveLength(4);
    expect((await b.reserve(R, inside[0], { ...entry('x'), audio: false }, 4)).kind).toBe('updated');
    expect(await a.update(R, inside[1], { audio: false, video: false })).toMatchObject({ audio: false, video: false });
    expect(await a.update(R, 'nobody', { audio: false, video: false })).toBeNull();
    const [first, missing] = await b.entries(R, [inside[0], 'nobody']);
    expect(first).toMatchObject({ audio: false });
    expect(missing).toBeNull();

    const user = (await a.list(R))[2].userId;
    const theirs = (await a.list(R)).filter((p) => p.userId === user).map((p) => p.peerId);
    expect((await b.releaseUser(R, user)).sort()).toEqual(theirs.sort());
    expect(await a.release(R, inside[0])).toBe(true);
    expect(await a.release(R, inside[0])).toBe(false);
    expect((await a.list(R)).length).toBe(3 - theirs.length);
  });

  it("frees a crashed process's slots when their lease runs out; a live process's renewed slots stay", async () => {
    const room = 'B'.repeat(22);
    const [crashed, alive] = [apiProcess(), apiProcess()];
    crashed.leaseMs = 300;
    alive.leaseMs = 300;
    expect((await crashed.reserve(room, 'ghost', entry('g'), 2)).kind).toBe('reserved');
    expect((await alive.reserve(room, 'kept', entry('k'), 2)).kind).toBe('reserved');
    // The crashed process renews nothing; the live one renews on its timer (here: by hand, often).
    const renewing = setInterval(() => void alive.renew(), 100);
    try {
      await eventually(async () => (await alive.list(room)).map((p) => p.peerId), 5_000).toEqual(['kept']);
      const next = await alive.reserve(room, 'newcomer', entry('n'), 2);
      expect(next).toEqual({ kind: 'reserved', expired: ['ghost'] });
      expect((await alive.list(room)).map((p) => p.peerId).sort()).toEqual(['kept', 'newcomer']);
    } finally {
      clearInterval(renewing);
    }
  });
});
