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
      setTimeout(() => void held.unlock(), 100);
    });
    const t0 = Date.now();
    const next = b.newLock('up1');
    await next.lock(never(), () => undefined);
    expect(asked).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    await next.unlock();
    expect(await conns[0]!.exists(`${prefix}:tus:lock:up1`)).toBe(0);
  });

  it('keeps the lock alive past its TTL by renewal, and frees it by TTL when the holder vanishes', async () => {
    const a = await locker({ ttlMs: 300 });
    const lock = a.newLock('up2');
    await lock.lock(never(), () => undefined);
    await new Promise((r) => setTimeout(r, 700));
    const b = await locker({ acquireTimeoutMs: 100 });
    await expect(b.newLock('up2').lock(never(), () => undefined)).rejects.toMatchObject({ status_code: 500 });
    await lock.unlock();
    // A crashed holder: the key expires by itself.
    await conns[0]!.set(`${prefix}:tus:lock:up3`, 'dead', 'PX', 200);
    const c = await locker({ acquireTimeoutMs: 2000 });
    const l3 = c.newLock('up3');
    await l3.lock(never(), () => undefined);
    await l3.unlock();
  });
});
