/**
 * Failure counters and token buckets shared by every API process (RedisLimitStore): wrong PINs per
 * address and per room, chat messages per user. An abstract class so Nest can inject it and unit specs
 * can pass an in-memory one.
 */
export abstract class LimitStore {
  /** Failures counted in a fixed window; returns the count and the seconds left in the window. */
  abstract failures(key: string): Promise<{ count: number; ttlSec: number }>;
  abstract addFailure(key: string, windowSec: number): Promise<number>;
  /** Takes one token from the bucket `key` (burst, then perSec per second); refused ones say how long to wait. */
  abstract take(key: string, burst: number, perSec: number): Promise<{ ok: boolean; retryAfterMs: number }>;
}
