import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import { LimitStore } from './limit.store.js';

// Mirrors takeToken() in chat/token-bucket.ts, atomically in Redis so every API process shares one
// bucket per user. KEYS[1] bucket; ARGV: now ms, burst, per second. Returns {ok, retryAfterMs}.
const TAKE = `
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local now = tonumber(ARGV[1]); local burst = tonumber(ARGV[2]); local rate = tonumber(ARGV[3])
local tokens = burst
if b[1] then
  local elapsed = math.max(0, now - tonumber(b[2]))
  tokens = math.min(burst, tonumber(b[1]) + elapsed * rate / 1000)
end
local ok = 0; local retry = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 else retry = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {ok, retry}
`;

/** Redis-backed counters and buckets shared by every API process (PIN failures, chat rate per user). */
@Injectable()
export class RedisLimitStore extends LimitStore {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('limits', 'command');
  }

  /** `<prefix>:limits:<key>` */
  private key(key: string): string {
    return this.connections.key('limits', key);
  }

  async failures(key: string): Promise<{ count: number; ttlSec: number }> {
    const k = this.key(key);
    const [count, ttl] = await Promise.all([this.redis.get(k), this.redis.ttl(k)]);
    return { count: Number(count ?? 0), ttlSec: Math.max(1, ttl) };
  }

  async addFailure(key: string, windowSec: number): Promise<number> {
    const k = this.key(key);
    const [[, count]] = (await this.redis.multi().incr(k).expire(k, windowSec, 'NX').exec()) as [[unknown, number], unknown];
    return count;
  }

  async take(key: string, burst: number, perSec: number, now = Date.now()): Promise<{ ok: boolean; retryAfterMs: number }> {
    const [ok, retry] = (await this.redis.eval(TAKE, 1, this.key(key), now, burst, perSec)) as [number, number];
    return { ok: ok === 1, retryAfterMs: retry };
  }
}
