import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { IMPORT_QUEUE, importJobSchema, JobName, jobOptions, type ImportJob } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { ImportQueue } from './import.queue.js';

/**
 * Producer of the import queue (issue 13). Shares the fail-fast `queue-producer` connection with the
 * transcode producer: a request path with Redis down answers 503 at once.
 */
@Injectable()
export class ImportProducer extends ImportQueue implements OnModuleDestroy {
  private readonly queue: Queue;

  constructor(
    connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.queue = new Queue(IMPORT_QUEUE, { connection: connections.connection('queue-producer', 'fail-fast'), prefix: connections.prefix });
    this.queue.on('error', (err) => this.logger.warn({ err: err.message }, 'import queue error'));
  }

  async enqueue(job: ImportJob): Promise<boolean> {
    const data = importJobSchema.parse(job);
    // A retried import replaces its failed job (kept for operators) under the same id.
    if (!(await this.remove(data.mediaId))) return false;
    await this.queue.add(JobName.Import, data, jobOptions(JobName.Import, data.mediaId));
    return true;
  }

  async remove(mediaId: string): Promise<boolean> {
    const job = await this.queue.getJob(mediaId);
    if (!job) return true;
    if (await job.isActive()) return false;
    await job.remove();
    return true;
  }

  async onModuleDestroy() {
    await this.queue.close();
  }
}
