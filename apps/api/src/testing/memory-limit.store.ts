import type { LimitStore, PinKeys, PinLimits, PinOutcome, PinReservation } from '../rooms/limit.store.js';
import { takeToken, type BucketState } from '../chat/token-bucket.js';

/** LimitStore in memory: the same token-bucket math as the Redis script, a fixed window for failures. */
export class MemoryLimitStore implements LimitStore {
  readonly failureCounts = new Map<string, number>();
  readonly buckets = new Map<string, BucketState>();
  /** The keys `take` was called with, in order. */
  readonly taken: string[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  async reservePinAttempt(keys: PinKeys, limits: PinLimits): Promise<PinReservation> {
    const a = this.failureCounts.get(keys.address) ?? 0;
    if (a >= limits.perAddress) return { ok: false, retryAfterSec: limits.windowSec };
    const repeat = a >= 1;
    if (repeat) {
      const r = this.failureCounts.get(keys.room) ?? 0;
      if (r >= limits.perRoom) return { ok: false, retryAfterSec: limits.windowSec };
      this.failureCounts.set(keys.room, r + 1);
    }
    this.failureCounts.set(keys.address, a + 1);
    return { ok: true, repeat };
  }

  async settlePinAttempt(keys: PinKeys, repeat: boolean, outcome: PinOutcome): Promise<void> {
    if (outcome === 'wrong') return;
    const give = (k: string) => this.failureCounts.set(k, Math.max(0, (this.failureCounts.get(k) ?? 0) - 1));
    if (outcome === 'right') give(keys.address);
    if (repeat) give(keys.room);
  }

  async take(key: string, burst: number, perSec: number): Promise<{ ok: boolean; retryAfterMs: number }> {
    this.taken.push(key);
    const r = takeToken(this.buckets.get(key), this.now(), burst, perSec);
    this.buckets.set(key, r.state);
    return { ok: r.ok, retryAfterMs: r.retryAfterMs };
  }
}
