import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from './redis-connections.js';
import { AttemptLimiter, type AttemptRule, type Reservation } from '../common/rate-limit/attempt-limiter.js';

// Reserve one attempt on every rule, or on none. KEYS: one hash per rule {n, win, till, level};
// ARGV[1] now (ms), then per rule: limit, windowMs, lockMs, maxLockMs. Returns {1, 0} or {0, retryAfterMs}.
// A rule in lockout refuses; a rule whose window is full starts (or doubles) its lockout and refuses;
// otherwise every rule counts the attempt. The level survives the lockout by maxLockMs (the backoff
// memory), then the key expires.
const RESERVE = `
local now = tonumber(ARGV[1])
local rules = {}
local retry = 0
for i, key in ipairs(KEYS) do
  local a = 1 + (i - 1) * 4
  local h = redis.call('HMGET', key, 'n', 'win', 'till', 'level')
  local r = { n = tonumber(h[1]) or 0, win = tonumber(h[2]) or 0, till = tonumber(h[3]) or 0, level = tonumber(h[4]) or 0,
    limit = tonumber(ARGV[a + 1]), window = tonumber(ARGV[a + 2]), lock = tonumber(ARGV[a + 3]), maxLock = tonumber(ARGV[a + 4]) }
  if now >= r.win then r.n = 0; r.win = now + r.window end
  if r.till > now then retry = math.max(retry, r.till - now) end
  rules[i] = r
end
if retry > 0 then return {0, retry} end
for i, key in ipairs(KEYS) do
  local r = rules[i]
  if r.n + 1 > r.limit then
    local level = r.level + 1
    local d = math.floor(math.min(r.lock * math.pow(2, level - 1), r.maxLock))
    redis.call('HSET', key, 'n', 0, 'win', now + r.window, 'till', now + d, 'level', level)
    redis.call('PEXPIRE', key, d + r.maxLock)
    retry = math.max(retry, d)
  end
end
if retry > 0 then return {0, retry} end
for i, key in ipairs(KEYS) do
  local r = rules[i]
  redis.call('HSET', key, 'n', r.n + 1, 'win', r.win, 'till', r.till, 'level', r.level)
  redis.call('PEXPIRE', key, math.max(r.win - now, 1) + r.maxLock)
end
return {1, 0}
`;

// Gives one reserved attempt back (it went well).
const RELEASE = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
return 0
`;

/** AttemptLimiter in Redis: one Lua script per operation, so every API process shares the counts. */
@Injectable()
export class RedisAttemptLimiter extends AttemptLimiter {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('limits', 'command');
  }

  /** `<prefix>:attempts:<key>` */
  private key(key: string): string {
    return this.connections.key('attempts', key);
  }

  async reserve(rules: AttemptRule[], now = Date.now()): Promise<Reservation> {
    const args = rules.flatMap((r) => [r.limit, r.windowMs, r.lockMs, r.maxLockMs]);
    const [ok, retry] = (await this.redis.eval(RESERVE, rules.length, ...rules.map((r) => this.key(r.key)), now, ...args)) as [
      number,
      number,
    ];
    return ok === 1 ? { ok: true } : { ok: false, retryAfterMs: retry };
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(key));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}
