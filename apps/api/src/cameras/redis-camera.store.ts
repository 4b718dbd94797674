import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { CameraMedia, CameraPeer } from '@reelroom/contracts';
import { RedisConnections } from '../redis/redis-connections.js';
import { CameraStore, toCameraPeer, type CameraEntry, type ReserveOutcome } from './camera.store.js';

/** A slot whose API process stopped renewing it is freed after this long (a crashed process's sockets). */
export const CAMERA_LEASE_MS = 60_000;
const RENEW_EVERY_MS = 20_000;
const TTL_SEC = 24 * 3600;

// KEYS: entries hash, lease zset. ARGV: peerId, entry JSON, limit, now, lease expiry, ttl.
// Expired leases are dropped first; then a peer already in keeps its slot (media updated), and a new one
// gets a slot only while fewer than `limit` are taken. One script: atomic across API processes.
const RESERVE = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
for _, id in ipairs(expired) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
local kind
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  kind = 'updated'
elseif redis.call('HLEN', KEYS[1]) < tonumber(ARGV[3]) then
  kind = 'reserved'
else
  return {'full', unpack(expired)}
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[6])
return {kind, unpack(expired)}
`;

// KEYS: entries hash. ARGV: peerId, audio, video. Only a peer that holds a slot changes.
const UPDATE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return nil end
local e = cjson.decode(raw)
e.audio = ARGV[2] == '1'
e.video = ARGV[3] == '1'
local out = cjson.encode(e)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

// KEYS: entries hash, lease zset. ARGV: userId. Every slot of one user, in one step.
const RELEASE_USER = `
local freed = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if cjson.decode(all[i + 1]).userId == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('ZREM', KEYS[2], all[i])
    table.insert(freed, all[i])
  end
end
return freed
`;

/**
 * The calls in Redis, per room:
 *   `<prefix>:cameras:<roomId>`        peerId -> JSON CameraEntry
 *   `<prefix>:cameras:<roomId>:lease`  peerId -> lease expiry (ms), a sorted set
 * A slot is freed when its socket leaves (CameraService), and otherwise when its lease runs out: each API
 * process renews the leases of the slots its own sockets hold every 20 s, so the slots of a process that
 * crashed come free within a minute instead of blocking the room.
 */
@Injectable()
export class RedisCameraStore extends CameraStore implements OnModuleDestroy {
  private readonly redis: Redis;
  /** The slots this process's sockets hold: peerId -> roomId. */
  private readonly held = new Map<string, string>();
  private readonly renewer: NodeJS.Timeout;
  /** How long a slot lives without renewal (tests shorten it to watch a dead process's slot expire). */
  leaseMs = CAMERA_LEASE_MS;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
    this.renewer = setInterval(() => void this.renew().catch(() => undefined), RENEW_EVERY_MS);
    this.renewer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.renewer);
  }

  private keys(roomId: string): [string, string] {
    return [this.connections.key('cameras', roomId), this.connections.key('cameras', roomId, 'lease')];
  }

  async reserve(roomId: string, peerId: string, entry: CameraEntry, limit: number): Promise<ReserveOutcome> {
    const now = Date.now();
    const [kind, ...expired] = (await this.redis.eval(
      RESERVE,
      2,
      ...this.keys(roomId),
      peerId,
      JSON.stringify(entry),
      limit,
      now,
      now + this.leaseMs,
      TTL_SEC,
    )) as [ReserveOutcome['kind'], ...string[]];
    for (const id of expired) this.held.delete(id);
    if (kind !== 'full') this.held.set(peerId, roomId);
    return { kind, expired };
  }

  async update(roomId: string, peerId: string, media: CameraMedia): Promise<CameraEntry | null> {
    const raw = (await this.redis.eval(UPDATE, 1, this.keys(roomId)[0], peerId, media.audio ? '1' : '0', media.video ? '1' : '0')) as
      string | null;
    return raw ? (JSON.parse(raw) as CameraEntry) : null;
  }

  async release(roomId: string, peerId: string): Promise<boolean> {
    this.held.delete(peerId);
    const [hash, lease] = this.keys(roomId);
    const res = await this.redis.multi().hdel(hash, peerId).zrem(lease, peerId).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  async releaseUser(roomId: string, userId: string): Promise<string[]> {
    const freed = (await this.redis.eval(RELEASE_USER, 2, ...this.keys(roomId), userId)) as string[];
    for (const id of freed) this.held.delete(id);
    return freed;
  }

  async entries(roomId: string, peerIds: string[]): Promise<Array<CameraEntry | null>> {
    const raw = await this.redis.hmget(this.keys(roomId)[0], ...peerIds);
    return raw.map((r) => (r ? (JSON.parse(r) as CameraEntry) : null));
  }

  async list(roomId: string): Promise<CameraPeer[]> {
    const [hash, lease] = this.keys(roomId);
    const [all, live] = await Promise.all([this.redis.hgetall(hash), this.redis.zrangebyscore(lease, Date.now(), '+inf')]);
    const alive = new Set(live);
    return Object.entries(all)
      .filter(([id]) => alive.has(id))
      .map(([id, raw]) => ({ id, entry: JSON.parse(raw) as CameraEntry }))
      .sort((a, b) => a.entry.since - b.entry.since)
      .map(({ id, entry }) => toCameraPeer(id, entry));
  }

  /** Pushes the lease of every slot this process holds (XX: a slot freed meanwhile is not brought back). */
  async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const until = Date.now() + this.leaseMs;
    const pipeline = this.redis.pipeline();
    for (const [peerId, roomId] of this.held) pipeline.zadd(this.keys(roomId)[1], 'XX', until, peerId);
    await pipeline.exec();
  }
}
