import { hostname } from 'node:os';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { drainedWorkersKey, workerControlChannel, workerControlMessageSchema, workerProcessKey } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { MediaWorker } from './media.worker.js';

/**
 * Drain and resume from the admin console (issue 10). The wanted state is the Redis set
 * drainedWorkersKey, written by the API; a message on workerControlChannel naming this process says
 * "read it now". Read again whenever the subscriber (re)connects, since messages sent while it was away
 * are lost: a drain survives a Redis restart.
 */
@Injectable()
export class WorkerControlListener implements OnModuleInit, OnModuleDestroy {
  private readonly self = workerProcessKey(hostname(), process.pid);
  private state?: Redis;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly worker: MediaWorker,
    private readonly redis: RedisConnections,
  ) {}

  async onModuleInit() {
    const key = drainedWorkersKey(this.config.queuePrefix);
    const state = this.redis.open('worker-control', 'command');
    this.state = state;
    const apply = () =>
      state
        .sismember(key, this.self)
        .then((member) => this.worker.setDraining(member === 1))
        .catch((err: unknown) =>
          this.logger.warn({ err: err instanceof Error ? err.message : err }, 'worker control: could not read the drain state'),
        );
    const subscriber = this.redis.open('worker-control-listener', 'subscriber');
    subscriber.on('message', (_channel: string, raw: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return;
      }
      const message = workerControlMessageSchema.safeParse(parsed);
      if (message.success && message.data.worker === this.self) void apply();
    });
    subscriber.on('ready', () => void apply());
    await subscriber.subscribe(workerControlChannel(this.config.queuePrefix));
    await apply();
  }

  /** A drained process that stops leaves no entry behind (the next one has another pid anyway). */
  async onModuleDestroy() {
    await this.state?.srem(drainedWorkersKey(this.config.queuePrefix), this.self).catch(() => undefined);
  }
}
