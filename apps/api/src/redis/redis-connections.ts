import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRedisConnection, type RedisRole } from '@reelroom/redis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../common/logger.js';

/**
 * Every Redis connection the API opens, and the one key prefix (QUEUE_PREFIX) they all write under.
 *
 * `connection(name, role)` opens a named connection through `@reelroom/redis` (options and retry policy
 * live there) the first time it is asked for, and hands the same one to later callers: the playback,
 * presence and wait stores share `room-state`. Errors are logged through pino, one line per failed
 * reconnect, with the connection's name. Everything opened here is closed at shutdown, after the modules
 * that use the connections (queues, socket.io) closed theirs: Nest runs `onApplicationShutdown` last.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly open = new Map<string, { redis: Redis; role: RedisRole }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'redisUrl' | 'queuePrefix'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** This deployment's key prefix (QUEUE_PREFIX), for libraries that take it as an option (BullMQ). */
  get prefix(): string {
    return this.config.queuePrefix;
  }

  /** `<QUEUE_PREFIX>:part:part...`: every key the API writes goes through here. */
  key(...parts: string[]): string {
    return [this.config.queuePrefix, ...parts].join(':');
  }

  /** The named connection, opened on first use. A name always has one role: asking for another is a bug. */
  connection(name: string, role: RedisRole): Redis {
    const known = this.open.get(name);
    if (known) {
      if (known.role !== role) throw new Error(`redis connection "${name}" is a ${known.role} connection, not ${role}`);
      return known.redis;
    }
    const redis = createRedisConnection(this.config.redisUrl, { app: 'api', name, role }, (err, connection) =>
      this.logger.warn({ err: err.message, connection }, 'redis connection error'),
    );
    this.open.set(name, { redis, role });
    return redis;
  }

  /** The names of the connections opened so far (health and tests). */
  get names(): string[] {
    return [...this.open.keys()];
  }

  async onApplicationShutdown(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(({ redis }) => closeGently(redis)));
  }
}

/**
 * QUIT lets replies in flight arrive. A connection that is not ready (Redis down, reconnecting) would
 * queue the QUIT until Redis came back and hold the shutdown: it is dropped at once instead, and so is
 * one whose QUIT takes more than a second.
 */
async function closeGently(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') return redis.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)));
  await Promise.race([redis.quit().catch(() => undefined), late]);
  clearTimeout(timer);
  redis.disconnect();
}
