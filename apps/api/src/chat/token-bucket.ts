/** State of one token bucket: `tokens` available at time `at` (ms). */
export interface BucketState {
  tokens: number;
  at: number;
}

export interface BucketResult {
  ok: boolean;
  /** When refused: how long until one token is available again. */
  retryAfterMs: number;
  state: BucketState;
}

/**
 * Token bucket: up to `burst` messages at once, then `perSec` per second. Pure (the caller passes the
 * clock), so the same math serves the in-memory per-connection bucket and is mirrored by the Redis
 * script for the per-user bucket (RedisLimitStore.take).
 */
export function takeToken(prev: BucketState | undefined, now: number, burst: number, perSec: number): BucketResult {
  const elapsed = prev ? Math.max(0, now - prev.at) : 0;
  const tokens = prev ? Math.min(burst, prev.tokens + (elapsed * perSec) / 1000) : burst;
  if (tokens >= 1) return { ok: true, retryAfterMs: 0, state: { tokens: tokens - 1, at: now } };
  return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) * 1000) / perSec), state: { tokens, at: now } };
}

/** In-memory buckets keyed by anything (one per socket): for limits that need no cross-process view. */
export class TokenBuckets<K> {
  private readonly buckets = new Map<K, BucketState>();

  constructor(
    private readonly burst: number,
    private readonly perSec: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: K): { ok: boolean; retryAfterMs: number } {
    const r = takeToken(this.buckets.get(key), this.now(), this.burst, this.perSec);
    this.buckets.set(key, r.state);
    return { ok: r.ok, retryAfterMs: r.retryAfterMs };
  }

  forget(key: K) {
    this.buckets.delete(key);
  }
}
