import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import { PresenceStore, type ConnectedMember, type PresenceRecord } from './presence.store.js';

const TTL_SEC = 24 * 3600;

// Decrement and forget at zero in one step: a socket counted in between by another process is not lost.
const REMOVE = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
`;

/**
 * Presence in two Redis hashes per room:
 *   `<prefix>:presence:<roomId>`       userId -> JSON PresenceRecord
 *   `<prefix>:presence:<roomId>:conn`  userId -> connected sockets (HINCRBY: atomic across processes)
 * Both expire a day after the last write, so rooms nobody visits leave nothing behind.
 */
@Injectable()
export class RedisPresenceStore extends PresenceStore {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
  }

  private infoKey(roomId: string) {
    return this.connections.key('presence', roomId);
  }

  private connKey(roomId: string) {
    return this.connections.key('presence', roomId, 'conn');
  }

  async get(roomId: string, userId: string): Promise<PresenceRecord | null> {
    const raw = await this.redis.hget(this.infoKey(roomId), userId);
    return raw ? (JSON.parse(raw) as PresenceRecord) : null;
  }

  async put(roomId: string, userId: string, record: PresenceRecord): Promise<void> {
    await this.redis.multi().hset(this.infoKey(roomId), userId, JSON.stringify(record)).expire(this.infoKey(roomId), TTL_SEC).exec();
  }

  async addConnection(roomId: string, userId: string): Promise<number> {
    const res = await this.redis.multi().hincrby(this.connKey(roomId), userId, 1).expire(this.connKey(roomId), TTL_SEC).exec();
    return Number(res?.[0]?.[1] ?? 1);
  }

  async removeConnection(roomId: string, userId: string): Promise<number> {
    return Math.max(0, Number(await this.redis.eval(REMOVE, 1, this.connKey(roomId), userId)));
  }

  connectedCount(roomId: string): Promise<number> {
    return this.redis.hlen(this.connKey(roomId));
  }

  async connected(roomId: string): Promise<ConnectedMember[]> {
    const [info, conn] = await Promise.all([this.redis.hgetall(this.infoKey(roomId)), this.redis.hgetall(this.connKey(roomId))]);
    const out: ConnectedMember[] = [];
    for (const [userId, raw] of Object.entries(info)) {
      const connections = Number(conn[userId] ?? 0);
      if (connections > 0) out.push({ userId, record: JSON.parse(raw) as PresenceRecord, connections });
    }
    return out;
  }
}
