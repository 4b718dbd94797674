import { randomBytes } from 'node:crypto';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import type { LockBackend } from './lock-backend.js';

export interface RedisLockerOptions {
  /** A held lock expires this long after its last renewal, so a crashed process frees it. */
  ttlMs?: number;
  /** Give up (tus answers 500 "failed to acquire lock before timeout") after this long. */
  acquireTimeoutMs?: number;
  /** While waiting, ask the holder to let go this often. */
  askEveryMs?: number;
  /** Called when a holder finds its lock gone (renewal failed): logged by the caller. */
  onLockLost?: (id: string) => void;
}

/**
 * A tus `Locker` shared by every API process through Redis (MemoryLocker, the default, only works in
 * one process). Same contract as @tus/server's MemoryLocker:
 * - one holder per upload id;
 * - a request that finds the lock taken calls the holder's `requestRelease` (here through pub/sub, so the
 *   holder may live in another process). tus then cancels the holder's request after `lockDrainTimeout`:
 *   a resumed client (after a dropped connection) does not wait for a half-open one to time out;
 * - the waiter polls until the lock is free, its request is aborted, or `acquireTimeoutMs` passes
 *   (ERRORS.ERR_LOCK_TIMEOUT).
 * The holder renews the lock's TTL while it holds it, and releases with a compare-and-delete.
 */
export class RedisLocker implements Locker {
  readonly ttlMs: number;
  readonly acquireTimeoutMs: number;
  readonly askEveryMs: number;
  private readonly holders = new Map<string, RedisLock>();

  constructor(
    readonly backend: LockBackend,
    private readonly options: RedisLockerOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 20_000;
    this.askEveryMs = options.askEveryMs ?? 250;
    backend.onReleaseRequested((id) => this.holders.get(id)?.releaseRequested());
  }

  newLock(id: string): Lock {
    return new RedisLock(id, this);
  }

  /** @internal */ hold(id: string, lock: RedisLock): void {
    this.holders.set(id, lock);
  }

  /** @internal */ drop(id: string, lock: RedisLock): void {
    if (this.holders.get(id) === lock) this.holders.delete(id);
  }

  /** @internal */ lost(id: string): void {
    this.options.onLockLost?.(id);
  }

  /** How many locks this process holds (for tests and shutdown checks). */
  get heldCount(): number {
    return this.holders.size;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

class RedisLock implements Lock {
  private token: string | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private onRelease: RequestRelease | undefined;

  constructor(
    private readonly id: string,
    private readonly locker: RedisLocker,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    if (this.token) throw new Error(`lock ${this.id} is already held by this request`);
    const { backend, ttlMs, acquireTimeoutMs, askEveryMs } = this.locker;
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + acquireTimeoutMs;
    let lastAsk = Number.NEGATIVE_INFINITY;
    let delay = 10;
    for (;;) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- tus's Locker contract: its server answers thrown ERRORS.* objects with their status_code/body (as its own MemoryLocker does).
      if (signal.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
      if (await backend.tryAcquire(this.id, token, ttlMs)) break;
      if (Date.now() - lastAsk >= askEveryMs) {
        lastAsk = Date.now();
        await backend.requestRelease(this.id);
      }
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- tus's Locker contract, as above.
      if (Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())), signal);
      delay = Math.min(delay * 2, 200);
    }
    this.token = token;
    this.onRelease = requestRelease;
    this.locker.hold(this.id, this);
    this.renewal = setInterval(() => void this.renew(), Math.max(10, Math.floor(ttlMs / 3)));
    this.renewal.unref();
  }

  private async renew(): Promise<void> {
    const token = this.token;
    if (!token) return;
    let ok: boolean;
    try {
      ok = await this.locker.backend.renew(this.id, token, this.locker.ttlMs);
    } catch {
      // Redis unreachable for a moment: the next renewal (ttl/3 later) tries again before the TTL ends.
      return;
    }
    if (!ok && this.token === token) {
      // Someone else may hold it now: stop writing as soon as tus lets us.
      this.locker.lost(this.id);
      this.releaseRequested();
    }
  }

  /** @internal A newer request for this upload asked us to let go. */
  releaseRequested(): void {
    void Promise.resolve(this.onRelease?.()).catch(() => undefined);
  }

  async unlock(): Promise<void> {
    const token = this.token;
    if (!token) throw new Error('Releasing an unlocked lock!');
    this.token = undefined;
    this.onRelease = undefined;
    clearInterval(this.renewal);
    this.locker.drop(this.id, this);
    // false means the TTL ran out and maybe another request took it: that one is not ours to delete.
    if (!(await this.locker.backend.release(this.id, token))) this.locker.lost(this.id);
  }
}
