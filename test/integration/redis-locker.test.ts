import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisLockBackend } from '../../apps/api/src/uploads/lock-backend.js';
import { RedisLocker } from '../../apps/api/src/uploads/redis-locker.js';

// The upload locker against the real Redis, as two API processes would use it: separate connections.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `rrtest-lock-${randomBytes(4).toString('hex')}`;
const conns: Redis[] = [];
async function locker(opts = {}) {
  const [cmd, sub] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  conns.push(cmd, sub);
  const backend = new RedisLockBackend(cmd, sub, prefix);
  await backend.start();
  return new RedisLocker(backend, opts);
}
const never = () => new AbortController().signal;

afterAll(async () => {
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
  for (const c of conns) c.disconnect();
});

describe('RedisLocker on Redis', () => {
  it('excludes a second process until the holder, asked over pub/sub, releases', async () => {
    const [a, b] = [await locker(), await locker()];
    const held = a.newLock('up1');
    let asked = false;
    await held.lock(never(), () => {
      asked = true;
    });
    let released = false;
    const next = b.newLock('up1');
    // Resolves with whether the holder had released when b got the lock.
    const acquired = next.lock(never(), () => undefined).then(() => released);
    // b found the lock taken and asked the holder, in the other "process", to let go.
    await expect.poll(() => asked, { timeout: 5000, interval: 20 }).toBe(true);
    released = true;
    await held.unlock();
    expect(await acquired).toBe(true);
    await next.unlock();
    expect(await conns[0].exists(`${prefix}:tus:lock:up1`)).toBe(0);
  });

  it('keeps the lock alive past its TTL by renewal, and frees it by TTL when the holder vanishes', async () => {
    const a = await locker({ ttlMs: 300 });
    const lock = a.newLock('up2');
    await lock.lock(never(), () => undefined);
    const key = `${prefix}:tus:lock:up2`;
    const redisNowMs = async () => {
      const [sec, usec] = await conns[0].time();
      return Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
    };
    const firstExpiry = (await redisNowMs()) + (await conns[0].pttl(key));
    // Redis's own clock well past the moment the first TTL would have freed the lock: only renewals kept it.
    await expect.poll(redisNowMs, { timeout: 5000, interval: 50 }).toBeGreaterThan(firstExpiry + 300);
    expect(await conns[0].pttl(key)).toBeGreaterThan(0);
    const b = await locker({ acquireTimeoutMs: 100 });
    await expect(b.newLock('up2').lock(never(), () => undefined)).rejects.toMatchObject({ status_code: 500 });
    await lock.unlock();
    // A crashed holder: the key expires by itself.
    await conns[0].set(`${prefix}:tus:lock:up3`, 'dead', 'PX', 200);
    const c = await locker({ acquireTimeoutMs: 2000 });
    const l3 = c.newLock('up3');
    await l3.lock(never(), () => undefined);
    await l3.unlock();
  });
});
