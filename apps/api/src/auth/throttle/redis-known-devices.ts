import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '../../redis/redis-connections.js';
import { KnownDevices } from './known-devices.js';

/** A device is remembered for 90 days after its last sign-in. */
const KNOWN_SEC = 90 * 24 * 3600;

/** KnownDevices in Redis: `<prefix>:attempts:known:<account>:<device>`, with an expiry. */
@Injectable()
export class RedisKnownDevices extends KnownDevices {
  private readonly redis: Redis;

  constructor(private readonly connections: RedisConnections) {
    super();
    this.redis = connections.connection('limits', 'command');
  }

  async remember(accountKey: string, deviceId: string): Promise<void> {
    await this.redis.set(this.connections.key('attempts', 'known', accountKey, deviceId), '1', 'EX', KNOWN_SEC);
  }

  async knows(accountKey: string, deviceId: string): Promise<boolean> {
    return (await this.redis.exists(this.connections.key('attempts', 'known', accountKey, deviceId))) === 1;
  }
}
