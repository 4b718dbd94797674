import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { JobName, jobOptions, LIVE_QUEUE, liveJobSchema, type LiveJob } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { LiveQueue } from './live.queue.js';

/** Live transcode jobs on their own BullMQ queue (a VOD backlog never delays a live). Job id = live id. */
@Injectable()
export class LiveProducer extends LiveQueue implements OnModuleDestroy {
  private readonly queue: Queue;

  constructor(
    connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.queue = new Queue(LIVE_QUEUE, { connection: connections.connection('queue-producer', 'fail-fast'), prefix: connections.prefix });
    this.queue.on('error', (err) => this.logger.warn({ err: err.message }, 'live queue error'));
  }

  async enqueue(job: LiveJob): Promise<void> {
    const data = liveJobSchema.parse(job);
    await this.queue.add(JobName.Live, data, jobOptions(JobName.Live, data.liveId));
  }

  async onModuleDestroy() {
    await this.queue.close();
  }
}
