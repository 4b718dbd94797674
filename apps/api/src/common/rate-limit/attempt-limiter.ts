/**
 * One limit on attempts: at most `limit` in `windowMs`; the attempt beyond it starts a lockout of
 * `lockMs` that doubles each time it is earned again while the key is remembered, up to `maxLockMs`
 * (backoff). A rule with lockMs = maxLockMs = windowMs is a plain per-window limit.
 */
export interface AttemptRule {
  key: string;
  limit: number;
  windowMs: number;
  lockMs: number;
  maxLockMs: number;
}

export type Reservation = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Attempt counters shared by every API process (RedisAttemptLimiter). An attempt is reserved before it
 * is made, on all its rules at once or on none, so concurrent attempts can never exceed a limit
 * (500 parallel guesses get `limit` verifications, not 500); a reservation that turned out fine can be
 * given back (`release`), or the key forgotten (`reset`, after a successful sign-in).
 */
export abstract class AttemptLimiter {
  abstract reserve(rules: AttemptRule[], now?: number): Promise<Reservation>;
  abstract release(key: string): Promise<void>;
  abstract reset(key: string): Promise<void>;
}
