import { ERRORS } from '@tus/utils';
import { describe, expect, it, vi } from 'vitest';
import type { LockBackend } from './lock-backend.js';
import { RedisLocker } from './redis-locker.js';

/** In-memory stand-in for Redis: same semantics (NX, TTL, compare-and-delete, broadcast release requests). */
class FakeBackend implements LockBackend {
  keys = new Map<string, { token: string; until: number }>();
  listeners: Array<(id: string) => void> = [];
  private live(id: string) {
    const k = this.keys.get(id);
    if (k && k.until <= Date.now()) this.keys.delete(id);
    return this.keys.get(id);
  }
  async tryAcquire(id: string, token: string, ttlMs: number) {
    if (this.live(id)) return false;
    this.keys.set(id, { token, until: Date.now() + ttlMs });
    return true;
  }
  async renew(id: string, token: string, ttlMs: number) {
    const k = this.live(id);
    if (k?.token !== token) return false;
    k.until = Date.now() + ttlMs;
    return true;
  }
  async release(id: string, token: string) {
    if (this.live(id)?.token !== token) return false;
    this.keys.delete(id);
    return true;
  }
  async requestRelease(id: string) {
    for (const l of this.listeners) l(id);
  }
  onReleaseRequested(listener: (id: string) => void) {
    this.listeners.push(listener);
  }
}

const never = () => new AbortController().signal;

describe(RedisLocker.name, () => {
  it('gives the lock to one holder at a time and hands it on when released', async () => {
    const backend = new FakeBackend();
    const a = new RedisLocker(backend);
    const b = new RedisLocker(backend);
    const first = a.newLock('u1');
    await first.lock(never(), () => undefined);
    const second = b.newLock('u1');
    let got = false;
    const waiting = second.lock(never(), () => undefined).then(() => (got = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toBe(false);
    await first.unlock();
    await waiting;
    expect(got).toBe(true);
    await second.unlock();
    expect(backend.keys.size).toBe(0);
  });

  it('asks the holder (in another locker, i.e. process) to release, calling its requestRelease', async () => {
    const backend = new FakeBackend();
    const holder = new RedisLocker(backend).newLock('u1');
    let asked = 0;
    await holder.lock(never(), () => {
      asked++;
      void holder.unlock();
    });
    await new RedisLocker(backend).newLock('u1').lock(never(), () => undefined);
    expect(asked).toBe(1);
  });

  it('times out with tus ERR_LOCK_TIMEOUT when the holder never lets go', async () => {
    const backend = new FakeBackend();
    await new RedisLocker(backend).newLock('u1').lock(never(), () => undefined);
    const waiter = new RedisLocker(backend, { acquireTimeoutMs: 100 }).newLock('u1');
    await expect(waiter.lock(never(), () => undefined)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
  });

  it('stops waiting when the request is aborted', async () => {
    const backend = new FakeBackend();
    await new RedisLocker(backend).newLock('u1').lock(never(), () => undefined);
    const ac = new AbortController();
    const p = new RedisLocker(backend).newLock('u1').lock(ac.signal, () => undefined);
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
  });

  it('renews its TTL while held, so a long PATCH keeps the lock', async () => {
    // Fake time (the backend's expiry reads Date.now too): a loaded machine cannot stall the renewals.
    vi.useFakeTimers();
    try {
      const backend = new FakeBackend();
      const lock = new RedisLocker(backend, { ttlMs: 60 }).newLock('u1');
      await lock.lock(never(), () => undefined);
      await vi.advanceTimersByTimeAsync(200);
      expect(await backend.tryAcquire('u1', 'other', 1000)).toBe(false);
      await lock.unlock();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never deletes a lock that expired and was taken by someone else, and reports the loss', async () => {
    const backend = new FakeBackend();
    const lost: string[] = [];
    const lock = new RedisLocker(backend, { onLockLost: (id) => lost.push(id) }).newLock('u1');
    await lock.lock(never(), () => undefined);
    backend.keys.set('u1', { token: 'someone-else', until: Date.now() + 10_000 });
    await lock.unlock();
    expect(backend.keys.get('u1')?.token).toBe('someone-else');
    expect(lost).toEqual(['u1']);
    await expect(lock.unlock()).rejects.toThrow(/unlocked/);
  });
});
