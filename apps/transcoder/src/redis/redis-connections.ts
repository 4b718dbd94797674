import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRedisConnection, type RedisRole } from '@reelroom/redis';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';

/**
 * The transcoder's only way to Redis: named connections from @reelroom/redis (options and retry policy
 * in one place, `reelroom-transcoder-<name>` in CLIENT LIST), each closed when the process shuts down.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly connections = new Map<string, Redis>();

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** One connection per name: a blocking or subscriber connection cannot be shared, so a second open is a bug. */
  open(name: string, role: RedisRole): Redis {
    if (this.connections.has(name)) throw new Error(`redis connection "${name}" is already open`);
    const redis = createRedisConnection(this.config.redisUrl, { app: 'transcoder', name, role }, (err, connection) =>
      this.logger.warn({ err: err.message, connection }, 'redis connection error'),
    );
    this.connections.set(name, redis);
    return redis;
  }

  get names(): string[] {
    return [...this.connections.keys()];
  }

  /**
   * The last shutdown phase: the worker stopped and drained its jobs in onModuleDestroy, so nothing is
   * pending. disconnect() rather than quit(): quit waits for an answer that never comes while Redis is down.
   */
  onApplicationShutdown(): void {
    for (const redis of this.connections.values()) redis.disconnect();
    this.connections.clear();
  }
}
