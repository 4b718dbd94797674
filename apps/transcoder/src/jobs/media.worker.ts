import { hostname } from 'node:os';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  IMPORT_QUEUE,
  JOB_POLICIES,
  JOB_QUEUES,
  LIVE_QUEUE,
  MEDIA_QUEUE,
  workerName,
  type JobName,
  type JobOutcome,
} from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { withinBudget } from './attempt-budget.js';
import { JobHandlers } from './job-handlers.js';
import { PermanentJobError } from './job-context.js';
import { RunningJobs } from './running-jobs.js';
import { TranscoderMetrics } from '../ops/transcoder-metrics.js';

const isJobName = (name: string): name is JobName => Object.prototype.hasOwnProperty.call(JOB_QUEUES, name);

/**
 * The BullMQ consumer, and the only code here that knows BullMQ. Validates every payload against its
 * contracts schema (a malformed job fails once, without retries), runs the handler from the map within
 * its try budget (JOB_POLICIES), and maps permanent errors to BullMQ's UnrecoverableError; anything else
 * is retried with the job's backoff while attempts remain. On shutdown it stops taking jobs and waits
 * for the running ones to finish.
 */
@Injectable()
export class MediaWorker implements OnModuleInit, OnModuleDestroy {
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly handlers: JobHandlers,
    private readonly running: RunningJobs,
    private readonly redis: RedisConnections,
    @Optional() private readonly metrics?: TranscoderMetrics,
  ) {}

  onModuleInit() {
    // One BullMQ worker per queue, each with its own concurrency: transcodes are CPU-bound, imports by
    // link (issue 13) network-bound, so neither holds the other's slots; a live (issue 8) never waits
    // behind a VOD backlog.
    this.start(MEDIA_QUEUE, 'worker', this.config.concurrency);
    this.start(LIVE_QUEUE, 'live-worker', this.config.liveConcurrency);
    this.start(IMPORT_QUEUE, 'import-worker', this.config.import.concurrency);
  }

  private start(queue: string, connectionName: string, concurrency: number) {
    const worker = new Worker(queue, (job) => this.measured(queue, job), {
      // Shown to operators (admin page, BullMQ getWorkers): which host and process, how many at once.
      name: workerName(hostname(), process.pid, concurrency),
      connection: this.redis.open(connectionName, 'blocking'),
      prefix: this.config.queuePrefix,
      concurrency,
      // A transcode holds the CPU for minutes; the lock is renewed every lockDuration/2 by the worker.
      // If this process dies (SIGKILL), the job is declared stalled after lockDuration and handed to
      // another worker (its ffmpeg dies with it: FfmpegRunner's pdeathsig). WORKER_LOCK_MS, default 30 s.
      lockDuration: this.config.workerLockMs,
      stalledInterval: this.config.workerLockMs,
      maxStalledCount: 1,
    });
    worker.on('error', (err) => this.logger.warn({ err: err.message, queue }, 'worker error'));
    worker.on('failed', (job, err) => {
      const attempts = job?.opts.attempts ?? 1;
      const willRetry = !(err instanceof UnrecoverableError) && (job?.attemptsMade ?? attempts) < attempts;
      this.logger.warn(
        { jobId: job?.id, name: job?.name, attemptsMade: job?.attemptsMade, attempts, willRetry, err: err.message },
        'job failed',
      );
    });
    this.workers.push(worker);
    this.logger.info({ concurrency, queue, prefix: this.config.queuePrefix }, 'worker started');
  }

  /** Times the attempt and counts its outcome (completed, failed for good, or handed back for a retry). */
  private async measured(queue: string, job: Job): Promise<void> {
    const done = this.metrics?.jobStarted(queue);
    let outcome: JobOutcome = 'completed';
    try {
      await this.process(queue, job);
    } catch (err) {
      const attempts = job.opts.attempts ?? 1;
      // attemptsMade counts finished attempts: this one is not in it yet.
      outcome = !(err instanceof UnrecoverableError) && job.attemptsMade + 1 < attempts ? 'retried' : 'failed';
      throw err;
    } finally {
      done?.(outcome);
    }
  }

  private async process(queue: string, job: Job): Promise<void> {
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job name ${job.name}`);
    const name = job.name;
    if (JOB_QUEUES[name] !== queue) throw new UnrecoverableError(`${name} jobs do not belong on the ${queue} queue`);
    const prepared = this.handlers.prepare(name, job.data);
    if (!prepared.ok) throw new UnrecoverableError(`invalid ${name} payload: ${prepared.error}`);
    const id = String(job.id);
    const abort = this.running.start(id);
    try {
      await withinBudget(
        () =>
          prepared.run({
            id,
            attemptsMade: job.attemptsMade,
            maxAttempts: job.opts.attempts ?? 1,
            reportProgress: (data) => job.updateProgress(data as object),
            signal: abort.signal,
          }),
        abort,
        JOB_POLICIES[name].attemptTimeoutMs,
      );
    } catch (err) {
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    } finally {
      this.running.finish(id, abort);
    }
  }

  /** The first shutdown phase: Redis and the database close only after this returns (their onApplicationShutdown). */
  async onModuleDestroy() {
    this.logger.info({ running: this.running.size }, 'stopping worker: waiting for running jobs');
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
