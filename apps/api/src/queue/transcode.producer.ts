import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { JobName, MEDIA_QUEUE, transcodeJobOptions, transcodeJobSchema, type TranscodeJob } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../common/logger.js';
import { createRedis } from './redis.js';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  workers: number;
}

/** The API's only BullMQ producer. */
@Injectable()
export class TranscodeProducer implements OnModuleDestroy {
  private readonly queue: Queue;
  private readonly connection: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(LOGGER) private readonly logger: Logger) {
    const connection = (this.connection = createRedis(config.redisUrl, { failFast: true, name: 'reelroom-api-producer' }));
    connection.on('error', (err) => this.logger.warn({ err: err.message }, 'redis (producer) error'));
    this.queue = new Queue(MEDIA_QUEUE, { connection, prefix: config.queuePrefix });
    this.queue.on('error', (err) => this.logger.warn({ err: err.message }, 'queue error'));
  }

  async enqueue(job: TranscodeJob): Promise<void> {
    const data = transcodeJobSchema.parse(job);
    await this.queue.add(JobName.Transcode, data, transcodeJobOptions(data.mediaId));
  }

  /** Job counts for the health report. */
  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    const workers = await this.queue.getWorkersCount();
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, workers };
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async onModuleDestroy() {
    await this.queue.close();
    this.connection.disconnect();
  }
}
