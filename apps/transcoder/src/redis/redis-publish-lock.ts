import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import type { PublishLock } from '../pipeline/publish-lock.js';
import { RedisConnections } from './redis-connections.js';

/** Longer than one publication takes (a few file reads and writes); a holder that died frees it after this. */
const LOCK_TTL_MS = 15_000;
const RETRY_MS = 25;
/** Deletes the lock only if it is still ours (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** PublishLock across every transcoder: SET NX PX, polled, released by its owner only. */
@Injectable()
export class RedisPublishLock implements PublishLock {
  private redis?: Redis;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    private readonly connections: RedisConnections,
  ) {}

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.redis ??= this.connections.open('publish-lock', 'command');
    const name = `${this.config.queuePrefix}:publish-lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + 4 * LOCK_TTL_MS;
    while ((await this.redis.set(name, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`could not take the publish lock ${key}`);
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, 1, name, token);
    }
  }
}
