import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { jobSchemas, MEDIA_QUEUE, type JobName } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { JobHandlers } from './job-handlers.js';
import { RunningJobs } from './running-jobs.js';
import { PermanentJobError } from './job-context.js';

const isJobName = (name: string): name is JobName => Object.prototype.hasOwnProperty.call(jobSchemas, name);

/**
 * The BullMQ consumer. Validates every payload against its contracts schema (a malformed job fails
 * once, without retries), dispatches to the handler map, and maps permanent errors to BullMQ's
 * UnrecoverableError. On shutdown it stops taking jobs and waits for the running ones to finish.
 */
@Injectable()
export class MediaWorker implements OnModuleInit, OnApplicationShutdown {
  private worker?: Worker;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly handlers: JobHandlers,
    private readonly running: RunningJobs,
  ) {}

  onModuleInit() {
    const connection = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null, connectionName: 'reelroom-transcoder' });
    connection.on('error', (err) => this.logger.warn({ err: err.message }, 'redis error'));
    this.worker = new Worker(MEDIA_QUEUE, (job) => this.process(job), {
      connection,
      prefix: this.config.queuePrefix,
      concurrency: this.config.concurrency,
      // A transcode holds the CPU for minutes; the lock is renewed every lockDuration/2 by the worker.
      // If this process dies (SIGKILL), the job is declared stalled after lockDuration and handed to
      // another worker (its ffmpeg dies with it: FfmpegRunner's pdeathsig). WORKER_LOCK_MS, default 30 s.
      lockDuration: this.config.workerLockMs,
      stalledInterval: this.config.workerLockMs,
      maxStalledCount: 1,
    });
    this.worker.on('error', (err) => this.logger.warn({ err: err.message }, 'worker error'));
    this.worker.on('failed', (job, err) => this.logger.warn({ jobId: job?.id, err: err.message }, 'job failed'));
    this.logger.info({ concurrency: this.config.concurrency, queue: MEDIA_QUEUE, prefix: this.config.queuePrefix }, 'worker started');
  }

  private async process(job: Job): Promise<void> {
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job name ${job.name}`);
    const parsed = jobSchemas[job.name].safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.message}`);
    const abort = this.running.start(String(job.id));
    try {
      await this.handlers.map[job.name](parsed.data, {
        id: String(job.id),
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
        reportProgress: (data) => job.updateProgress(data as object),
        signal: abort.signal,
      });
    } catch (err) {
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    } finally {
      this.running.finish(String(job.id));
    }
  }

  async onApplicationShutdown(signal?: string) {
    this.logger.info({ signal, running: this.running.size }, 'stopping worker: waiting for running jobs');
    await this.worker?.close();
  }
}
