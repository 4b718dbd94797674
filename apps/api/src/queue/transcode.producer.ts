import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { cancelChannel, JobName, jobOptions, MEDIA_QUEUE, transcodeJobSchema, type TranscodeJob } from '@reelroom/contracts';
import { pingWhenReady } from '@reelroom/redis';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { TranscodeQueue, type QueueCounts } from './transcode.queue.js';

/** How many waiting jobs we look at to compute queue positions. */
const POSITION_WINDOW = 500;

/**
 * The API's only BullMQ producer, and its only way to reach the workers. Its connection fails fast
 * (request paths: Redis down answers 503 in milliseconds instead of hanging the upload).
 */
@Injectable()
export class TranscodeProducer extends TranscodeQueue implements OnModuleDestroy {
  private readonly queue: Queue;
  private readonly connection: Redis;
  private readonly cancelChannel: string;

  constructor(
    connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.connection = connections.connection('queue-producer', 'fail-fast');
    this.queue = new Queue(MEDIA_QUEUE, { connection: this.connection, prefix: connections.prefix });
    this.queue.on('error', (err) => this.logger.warn({ err: err.message }, 'queue error'));
    this.cancelChannel = cancelChannel(connections.prefix);
  }

  async enqueue(job: TranscodeJob): Promise<void> {
    const data = transcodeJobSchema.parse(job);
    await this.queue.add(JobName.Transcode, data, jobOptions(JobName.Transcode, data.mediaId));
  }

  /**
   * Queues the media again after a failure. The failed job is kept (for operators) under the same id,
   * and BullMQ ignores add() for an existing id, so it is removed first.
   */
  async requeue(job: TranscodeJob): Promise<void> {
    await this.remove(job.mediaId);
    await this.enqueue(job);
  }

  /** Removes a job that is not running (waiting, delayed, failed, completed). Returns false if it is active. */
  async remove(mediaId: string): Promise<boolean> {
    const job = await this.queue.getJob(mediaId);
    if (!job) return true;
    if (await job.isActive()) return false;
    // A chunked transcode's parent waits for its chunks (issue 11): they may run, so ask them to stop too.
    if (await job.isWaitingChildren()) {
      await job.remove();
      return false;
    }
    await job.remove();
    return true;
  }

  /** Asks whichever worker runs this media's job to stop it now (ffmpeg is killed). */
  async requestCancel(mediaId: string): Promise<void> {
    await this.connection.publish(this.cancelChannel, mediaId);
  }

  /** mediaId -> 1-based position among waiting jobs (1 = next to start). */
  async waitingPositions(): Promise<Map<string, number>> {
    const jobs = await this.queue.getJobs(['waiting', 'prioritized'], 0, POSITION_WINDOW - 1, true);
    return new Map(jobs.filter((j) => j?.id).map((j, i) => [String(j.id), i + 1]));
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    const workers = await this.queue.getWorkersCount();
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, workers };
  }

  async ping(): Promise<void> {
    await pingWhenReady(this.connection);
  }

  /** The connection itself is RedisConnections' to close (after every module stopped using it). */
  async onModuleDestroy() {
    await this.queue.close();
  }
}
