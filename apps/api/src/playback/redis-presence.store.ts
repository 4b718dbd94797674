import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import {
  PresenceStore,
  type ConnectedMember,
  type PresenceChanged,
  type PresenceEdit,
  type PresenceRecord,
  type SweptMember,
} from './presence.store.js';

const TTL_SEC = 24 * 3600;

/** Lua shared by the scripts below: one way to count sockets, own them, save a record and bump a version. */
const LIB = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function count(key, field, delta, ttl)
  local n = redis.call('HINCRBY', key, field, delta)
  if n <= 0 then
    redis.call('HDEL', key, field)
    n = 0
  end
  redis.call('EXPIRE', key, ttl)
  return n
end
local function save(infoKey, user, rec, conns, ttl)
  if conns == 0 then rec['player'] = cjson.null end
  local enc = cjson.encode(rec)
  redis.call('HSET', infoKey, user, enc)
  redis.call('EXPIRE', infoKey, ttl)
  return enc
end
local function bump(vKey, ttl)
  if redis.call('EXISTS', vKey) == 0 then redis.call('SET', vKey, redis.call('TIME')[1] .. '000') end
  local v = redis.call('INCR', vKey)
  redis.call('EXPIRE', vKey, ttl)
  return v
end
`;

/**
 * One presence edit, atomically: merge the patch into the record (or start from `create`), count the
 * socket in or out (forgetting the count at 0, and the player status with it: a person with no socket
 * must not hold the room), and bump the room's version when the change is visible and concerns someone
 * who is (or just stopped being) here. Returns {version, sockets, record JSON, bumped} or nil.
 * The socket is owned by this process (KEYS[4], field ARGV[7]): a -1 for a socket it no longer owns
 * (a sweep counted it out while this process stalled) changes nothing, so it cannot count out another
 * process's socket of the same person. ARGV[8], when set, is the exact count this process holds (reclaim).
 * The version starts from the clock (ms) when its key is missing, so it never goes back after the keys
 * expired under a client that still holds an old version.
 */
const CHANGE = `${LIB}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw and ARGV[3] == '' then return false end
local rec = cjson.decode(raw or ARGV[3])
for k, v in pairs(cjson.decode(ARGV[2])) do rec[k] = v end
local ttl = ARGV[5]
local delta = tonumber(ARGV[4])
local owned = tonumber(redis.call('HGET', KEYS[4], ARGV[7]) or '0')
if ARGV[8] ~= '' then delta = tonumber(ARGV[8]) - owned end
if delta < 0 and owned + delta < 0 then delta = -owned end
local visible = ARGV[6] == '1' and (ARGV[8] == '' or delta ~= 0)
local conns
if delta ~= 0 then
  count(KEYS[4], ARGV[7], delta, ttl)
  conns = count(KEYS[2], ARGV[1], delta, ttl)
else
  conns = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
  if tonumber(ARGV[4]) < 0 then visible = false end
end
local enc = save(KEYS[1], ARGV[1], rec, conns, ttl)
local bumped = 0
local v
if visible and (conns > 0 or delta < 0) then
  v = bump(KEYS[3], ttl)
  bumped = 1
else
  v = tonumber(redis.call('GET', KEYS[3]) or '0')
end
return {v, conns, enc, bumped}
`;

/** This process is alive now (Redis's clock, so processes' clocks never disagree). 1: it was not registered. */
const HEARTBEAT = `${LIB}
return redis.call('ZADD', KEYS[1], now_ms(), ARGV[1])
`;

/**
 * Counts out up to ARGV[4] sockets of one process: ARGV[5], or the first whose heartbeat is older than
 * ARGV[3] ms. Each person's count, record and room version change in this one step (never check, then
 * act), and the process is forgotten once it owns nothing. Returns {removed, {room, user, v, conns, rec}...}.
 * Room keys are built here from ARGV[1] (`<prefix>:presence`): a single Redis, not a cluster.
 */
const SWEEP = `${LIB}
local pid = ARGV[5]
if pid == '' then
  local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms() - tonumber(ARGV[3]), 'LIMIT', 0, 1)
  if #dead == 0 then return {0, {}} end
  pid = dead[1]
end
local ttl = ARGV[6]
local ownKey = ARGV[2] .. ':' .. pid
local held = redis.call('HRANDFIELD', ownKey, tonumber(ARGV[4]), 'WITHVALUES')
local out = {}
for i = 1, #held, 2 do
  local field, n = held[i], tonumber(held[i + 1])
  redis.call('HDEL', ownKey, field)
  local sep = string.find(field, '\\n', 1, true)
  local room, user = string.sub(field, 1, sep - 1), string.sub(field, sep + 1)
  local infoKey = ARGV[1] .. ':' .. room
  local conns = count(infoKey .. ':conn', user, -n, ttl)
  local raw = redis.call('HGET', infoKey, user)
  if raw then
    local enc = save(infoKey, user, cjson.decode(raw), conns, ttl)
    table.insert(out, {room, user, bump(infoKey .. ':v', ttl), conns, enc})
  end
end
if redis.call('EXISTS', ownKey) == 0 then redis.call('ZREM', KEYS[1], pid) end
return {#held / 2, out}
`;

/**
 * Presence in two Redis hashes and a counter per room:
 *   `<prefix>:presence:<roomId>`       userId -> JSON PresenceRecord
 *   `<prefix>:presence:<roomId>:conn`  userId -> connected sockets
 *   `<prefix>:presence:<roomId>:v`     the room's presence version (issue 10)
 * and the processes holding the sockets:
 *   `<prefix>:presence-procs`          sorted set: process id -> its last heartbeat (ms, Redis clock)
 *   `<prefix>:presence-proc:<id>`      "<roomId>\n<userId>" -> that process's sockets of the person
 * All are written by one script per change (CHANGE, SWEEP) and expire a day after the last write, so rooms
 * nobody visits leave nothing behind.
 */
@Injectable()
export class RedisPresenceStore extends PresenceStore {
  private readonly redis: Redis;
  /** This process, as the owner of the sockets it counts (a new one at every start). */
  readonly processId = randomUUID();

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
  }

  private keys(roomId: string): [string, string, string] {
    return [
      this.connections.key('presence', roomId),
      this.connections.key('presence', roomId, 'conn'),
      this.connections.key('presence', roomId, 'v'),
    ];
  }

  async get(roomId: string, userId: string): Promise<PresenceRecord | null> {
    const raw = await this.redis.hget(this.keys(roomId)[0], userId);
    return raw ? (JSON.parse(raw) as PresenceRecord) : null;
  }

  async change(roomId: string, userId: string, edit: PresenceEdit): Promise<PresenceChanged | null> {
    const res = (await this.redis.eval(
      CHANGE,
      4,
      ...this.keys(roomId),
      this.connections.key('presence-proc', this.processId),
      userId,
      JSON.stringify(edit.patch),
      edit.create ? JSON.stringify(edit.create) : '',
      edit.connDelta ?? 0,
      TTL_SEC,
      edit.visible ? '1' : '0',
      `${roomId}\n${userId}`,
      edit.ownSockets ?? '',
    )) as [number, number, string, number] | null;
    if (!res) return null;
    return { v: Number(res[0]), connections: Number(res[1]), record: JSON.parse(res[2]) as PresenceRecord, bumped: res[3] === 1 };
  }

  connectedCount(roomId: string): Promise<number> {
    return this.redis.hlen(this.keys(roomId)[1]);
  }

  async connected(roomId: string): Promise<{ v: number; members: ConnectedMember[] }> {
    const [infoKey, connKey, versionKey] = this.keys(roomId);
    // One MULTI: the list and its version are read at the same instant, between two changes.
    const res = await this.redis.multi().hgetall(infoKey).hgetall(connKey).get(versionKey).exec();
    const info = (res?.[0]?.[1] ?? {}) as Record<string, string>;
    const conn = (res?.[1]?.[1] ?? {}) as Record<string, string>;
    const members: ConnectedMember[] = [];
    for (const [userId, raw] of Object.entries(info)) {
      const connections = Number(conn[userId] ?? 0);
      if (connections > 0) members.push({ userId, record: JSON.parse(raw) as PresenceRecord, connections });
    }
    return { v: Number(res?.[2]?.[1] ?? 0), members };
  }

  async heartbeat(): Promise<boolean> {
    const added = await this.redis.eval(HEARTBEAT, 1, this.connections.key('presence-procs'), this.processId);
    return Number(added) === 0;
  }

  async sweep(opts: { expiryMs: number; limit: number; own?: boolean }): Promise<{ removed: number; members: SweptMember[] }> {
    const [removed, rows] = (await this.redis.eval(
      SWEEP,
      1,
      this.connections.key('presence-procs'),
      this.connections.key('presence'),
      this.connections.key('presence-proc'),
      opts.expiryMs,
      opts.limit,
      opts.own ? this.processId : '',
      TTL_SEC,
    )) as [number, [string, string, number, number, string][]];
    return {
      removed: Number(removed),
      members: rows.map(([roomId, userId, v, connections, rec]) => ({
        roomId,
        userId,
        v: Number(v),
        connections: Number(connections),
        record: JSON.parse(rec) as PresenceRecord,
      })),
    };
  }
}
