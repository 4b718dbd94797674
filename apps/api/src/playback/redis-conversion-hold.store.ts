import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../redis/redis-connections.js';
import type { ConversionHold } from './conversion-hold.policy.js';
import { ConversionHoldStore } from './conversion-hold.store.js';

/** `<prefix>:playback:<roomId>:conversion-hold` (JSON ConversionHold, with a TTL). */
@Injectable()
export class RedisConversionHoldStore extends ConversionHoldStore {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('room-state', 'command');
  }

  private key(roomId: string) {
    return this.connections.key('playback', roomId, 'conversion-hold');
  }

  async current(roomId: string): Promise<ConversionHold | null> {
    const raw = await this.redis.get(this.key(roomId));
    return raw ? (JSON.parse(raw) as ConversionHold) : null;
  }

  async begin(roomId: string, hold: ConversionHold, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(roomId), JSON.stringify(hold), 'PX', ttlMs);
  }

  async end(roomId: string): Promise<boolean> {
    // DEL is the lock: it answers 1 to exactly one caller.
    return (await this.redis.del(this.key(roomId))) === 1;
  }
}
