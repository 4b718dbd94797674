import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import { PresenceStore, type ConnectedMember, type PresenceChanged, type PresenceEdit, type PresenceRecord } from './presence.store.js';

const TTL_SEC = 24 * 3600;

/**
 * One presence edit, atomically: merge the patch into the record (or start from `create`), count the
 * socket in or out (forgetting the count at 0, and the player status with it: a person with no socket
 * must not hold the room), and bump the room's version when the change is visible and concerns someone
 * who is (or just stopped being) here. Returns {version, sockets, record JSON, bumped} or nil.
 * The version starts from the clock (ms) when its key is missing, so it never goes back after the keys
 * expired under a client that still holds an old version.
 */
const CHANGE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw and ARGV[3] == '' then return false end
local rec = cjson.decode(raw or ARGV[3])
for k, v in pairs(cjson.decode(ARGV[2])) do rec[k] = v end
local delta = tonumber(ARGV[4])
local conns
if delta ~= 0 then
  conns = redis.call('HINCRBY', KEYS[2], ARGV[1], delta)
  if conns <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[1])
    conns = 0
  end
  redis.call('EXPIRE', KEYS[2], ARGV[5])
else
  conns = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
end
if conns == 0 then rec['player'] = cjson.null end
local enc = cjson.encode(rec)
redis.call('HSET', KEYS[1], ARGV[1], enc)
redis.call('EXPIRE', KEYS[1], ARGV[5])
local bumped = 0
local v
if ARGV[6] == '1' and (conns > 0 or delta < 0) then
  if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SET', KEYS[3], redis.call('TIME')[1] .. '000') end
  v = redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], ARGV[5])
  bumped = 1
else
  v = tonumber(redis.call('GET', KEYS[3]) or '0')
end
return {v, conns, enc, bumped}
`;

/**
 * Presence in two Redis hashes and a counter per room:
 *   `<prefix>:presence:<roomId>`       userId -> JSON PresenceRecord
 *   `<prefix>:presence:<roomId>:conn`  userId -> connected sockets
 *   `<prefix>:presence:<roomId>:v`     the room's presence version (issue 10)
 * All are written by one script per change (CHANGE) and expire a day after the last write, so rooms
 * nobody visits leave nothing behind.
 */
@Injectable()
export class RedisPresenceStore extends PresenceStore {
  private readonly redis: Redis;

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
      3,
      ...this.keys(roomId),
      userId,
      JSON.stringify(edit.patch),
      edit.create ? JSON.stringify(edit.create) : '',
      edit.connDelta ?? 0,
      TTL_SEC,
      edit.visible ? '1' : '0',
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
}
