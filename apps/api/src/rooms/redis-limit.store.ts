import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import { LimitStore, type PinKeys, type PinLimits, type PinOutcome, type PinReservation } from './limit.store.js';

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

// The PIN gate's reservation. KEYS[1] failures (and attempts in flight) of (room, address), KEYS[2] the
// room's repeat failures; ARGV: perAddress, perRoom, windowSec. Returns {1, repeat} or {0, retryAfterSec}.
const PIN_RESERVE = `
local a = tonumber(redis.call('GET', KEYS[1]) or '0')
if a >= tonumber(ARGV[1]) then return {0, math.max(1, redis.call('TTL', KEYS[1]))} end
local again = 0
if a >= 1 then
  local r = tonumber(redis.call('GET', KEYS[2]) or '0')
  if r >= tonumber(ARGV[2]) then return {0, math.max(1, redis.call('TTL', KEYS[2]))} end
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3], 'NX')
  again = 1
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3], 'NX')
return {1, again}
`;

// Gives places back: ARGV[1] 1 to give back the address's, ARGV[2] 1 to give back the room's.
const PIN_SETTLE = `
for i, key in ipairs(KEYS) do
  if ARGV[i] == '1' and tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
`;

/** Redis-backed reservations and buckets shared by every API process (PIN attempts, chat and playback rates per user). */
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

  async reservePinAttempt(keys: PinKeys, limits: PinLimits): Promise<PinReservation> {
    const [ok, n] = (await this.redis.eval(
      PIN_RESERVE,
      2,
      this.key(keys.address),
      this.key(keys.room),
      limits.perAddress,
      limits.perRoom,
      limits.windowSec,
    )) as [number, number];
    return ok === 1 ? { ok: true, repeat: n === 1 } : { ok: false, retryAfterSec: n };
  }

  async settlePinAttempt(keys: PinKeys, repeat: boolean, outcome: PinOutcome): Promise<void> {
    if (outcome === 'wrong') return; // the reservation stands as the failure
    const giveAddress = outcome === 'right' ? '1' : '0';
    const giveRoom = repeat ? '1' : '0';
    await this.redis.eval(PIN_SETTLE, 2, this.key(keys.address), this.key(keys.room), giveAddress, giveRoom);
  }

  async take(key: string, burst: number, perSec: number, now = Date.now()): Promise<{ ok: boolean; retryAfterMs: number }> {
    const [ok, retry] = (await this.redis.eval(TAKE, 1, this.key(key), now, burst, perSec)) as [number, number];
    return { ok: ok === 1, retryAfterMs: retry };
  }
}
