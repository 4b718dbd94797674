import type { AttemptLimiter, AttemptRule, Reservation } from '../common/rate-limit/attempt-limiter.js';

interface Entry {
  n: number;
  win: number;
  till: number;
  level: number;
}

/** AttemptLimiter in memory, with the Redis script's rules (all rules or none, lockout doubling). */
export class MemoryAttemptLimiter implements AttemptLimiter {
  readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: () => number = () => Date.now()) {}

  async reserve(rules: AttemptRule[], now = this.clock()): Promise<Reservation> {
    const states = rules.map((r) => {
      const e = { ...(this.entries.get(r.key) ?? { n: 0, win: 0, till: 0, level: 0 }) };
      if (now >= e.win) Object.assign(e, { n: 0, win: now + r.windowMs });
      return e;
    });
    const locked = Math.max(0, ...states.map((e) => e.till - now));
    if (locked > 0) return { ok: false, retryAfterMs: locked };
    let retry = 0;
    rules.forEach((r, i) => {
      const e = states[i];
      if (e.n + 1 <= r.limit) return;
      const level = e.level + 1;
      const d = Math.min(r.lockMs * 2 ** (level - 1), r.maxLockMs);
      this.entries.set(r.key, { n: 0, win: now + r.windowMs, till: now + d, level });
      retry = Math.max(retry, d);
    });
    if (retry > 0) return { ok: false, retryAfterMs: retry };
    rules.forEach((r, i) => this.entries.set(r.key, { ...states[i], n: states[i].n + 1 }));
    return { ok: true };
  }

  async release(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (e && e.n > 0) e.n--;
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
