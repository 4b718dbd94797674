import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import type { WaitState } from './playback.policy.js';
import { WaitStore } from './wait.store.js';

/** `<prefix>:playback:<roomId>:wait` (JSON WaitState, with a TTL) and `...:wait-cooldown` (a flag with a TTL). */
@Injectable()
export class RedisWaitStore extends WaitStore {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
  }

  private waitKey(roomId: string) {
    return this.connections.key('playback', roomId, 'wait');
  }

  private cooldownKey(roomId: string) {
    return this.connections.key('playback', roomId, 'wait-cooldown');
  }

  async current(roomId: string): Promise<{ wait: WaitState | null; coolingDown: boolean }> {
    const [raw, cooling] = await Promise.all([this.redis.get(this.waitKey(roomId)), this.redis.exists(this.cooldownKey(roomId))]);
    return { wait: raw ? (JSON.parse(raw) as WaitState) : null, coolingDown: cooling === 1 };
  }

  async begin(roomId: string, wait: WaitState, ttlMs: number): Promise<void> {
    await this.redis.set(this.waitKey(roomId), JSON.stringify(wait), 'PX', ttlMs);
  }

  async end(roomId: string): Promise<boolean> {
    // DEL is the lock: it answers 1 to exactly one caller.
    return (await this.redis.del(this.waitKey(roomId))) === 1;
  }

  async coolDown(roomId: string, ms: number): Promise<void> {
    await this.redis.set(this.cooldownKey(roomId), '1', 'PX', ms);
  }
}
