import { hostname } from 'node:os';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { FlowProducer, UnrecoverableError, WaitingChildrenError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  AUDIO_PART_QUEUE,
  IMPORT_QUEUE,
  JOB_POLICIES,
  JOB_QUEUES,
  jobOptions,
  LIVE_QUEUE,
  MEDIA_QUEUE,
  workerName,
  type JobName,
  type JobOutcome,
} from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { withinBudget } from './attempt-budget.js';
import { DeathLedger, type DeathRecords } from './death-ledger.js';
import { JobHandlers } from './job-handlers.js';
import { JobHandedBackError, JobLockLostError, JobParkedError, PermanentJobError, type ChildJob, type JobFlow } from './job-context.js';
import { RunningJobs } from './running-jobs.js';
import { liveLocks, vodLocks, type QueueLocks } from './queue-locks.js';
import { TranscoderMetrics } from '../ops/transcoder-metrics.js';
import { jobLogFields, withJobLogContext } from '../ops/log-context.js';
import { withWorkMark } from '../ops/work-mark.js';
import { judgeStart } from './worker-deaths.js';

const isJobName = (name: string): name is JobName => Object.prototype.hasOwnProperty.call(JOB_QUEUES, name);

/**
 * The BullMQ consumer, and the only code here that knows BullMQ. Validates every payload against its
 * contracts schema (a malformed job fails once, without retries), runs the handler from the map within
 * its try budget (JOB_POLICIES), and maps permanent errors to BullMQ's UnrecoverableError; anything else
 * is retried with the job's backoff while attempts remain. On shutdown it stops taking jobs and lets the
 * running ones finish within SHUTDOWN_GRACE_SEC; then it hands them back to the queue at once, so another
 * worker takes them without waiting for their lock to expire.
 */
@Injectable()
export class MediaWorker implements OnModuleInit, OnModuleDestroy {
  private readonly workers: Worker[] = [];
  /** Drained from the admin console (WorkerControlListener): no new job; the running ones go on. */
  private draining = false;
  /** Adds a parent job's children (chunked transcodes, flowOf), made on first use. */
  private children: FlowProducer | null = null;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly handlers: JobHandlers,
    private readonly running: RunningJobs,
    private readonly redis: RedisConnections,
    @Inject(DeathLedger) private readonly deaths: DeathRecords,
    @Optional() private readonly metrics?: TranscoderMetrics,
  ) {}

  onModuleInit() {
    // One BullMQ worker per queue, each with its own concurrency: transcodes are CPU-bound, imports by
    // link (issue 13) network-bound, so neither holds the other's slots; a live (issue 8) never waits
    // behind a VOD backlog.
    // TRANSCODER_QUEUES picks which of them this process runs.
    const queues = new Set(this.config.queues);
    if (queues.has(MEDIA_QUEUE)) this.start(MEDIA_QUEUE, 'worker', this.config.concurrency);
    // The audio slot (part-queue.ts): chunked transcodes' audio parts beside the video chunks, so chunk 0
    // never waits for the whole file's audio. It comes with the media queue.
    if (queues.has(MEDIA_QUEUE) && this.config.audioConcurrency > 0)
      this.start(AUDIO_PART_QUEUE, 'audio-worker', this.config.audioConcurrency);
    if (queues.has(LIVE_QUEUE)) this.start(LIVE_QUEUE, 'live-worker', this.config.liveConcurrency, liveLocks(this.config.liveWorkerLockMs));
    if (queues.has(IMPORT_QUEUE)) this.start(IMPORT_QUEUE, 'import-worker', this.config.import.concurrency);
  }

  private start(queue: string, connectionName: string, concurrency: number, locks: QueueLocks = vodLocks(this.config.workerLockMs)) {
    const worker = new Worker(queue, (job, token) => withJobLogContext(jobLogFields(job, queue), () => this.measured(queue, job, token)), {
      // Shown to operators (admin page, BullMQ getWorkers): which host and process, how many at once.
      name: workerName(hostname(), process.pid, concurrency),
      connection: this.redis.open(connectionName, 'blocking'),
      prefix: this.config.queuePrefix,
      concurrency,
      ...locks,
    });
    // This copy of the job may already run elsewhere: stop it without touching its state (JobLockLostError).
    worker.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const id of jobIds) if (this.running.lockLost(id)) this.logger.warn({ jobId: id, queue }, 'lost the job lock; stopping it here');
    });
    worker.on('error', (err) => this.logger.warn({ err: err.message, queue }, 'worker error'));
    worker.on('failed', (job, err) => {
      const attempts = job?.opts.attempts ?? 1;
      const willRetry = !(err instanceof UnrecoverableError) && (job?.attemptsMade ?? attempts) < attempts;
      this.logger.warn(
        { ...(job ? jobLogFields(job, queue) : {}), attemptsMade: job?.attemptsMade, attempts, willRetry, err: err.message },
        'job failed',
      );
    });
    this.workers.push(worker);
    // Drained before this queue's worker started (the wanted state was read first): it starts paused.
    if (this.draining) void worker.pause(true);
    this.logger.info({ concurrency, queue, prefix: this.config.queuePrefix }, 'worker started');
  }

  /**
   * Drain (issue 10): every queue's worker stops taking jobs, without waiting for the running ones (they
   * finish, keeping their lock); resume takes jobs again. Idempotent: a repeated message changes nothing.
   */
  async setDraining(draining: boolean): Promise<void> {
    if (draining === this.draining) return;
    this.draining = draining;
    if (draining) await Promise.all(this.workers.map((w) => w.pause(true)));
    else await Promise.all(this.workers.map((w) => w.resume()));
    this.logger.info(
      { running: this.running.size },
      draining ? 'worker draining: taking no new jobs' : 'worker resumed: taking jobs again',
    );
  }

  /** Times the attempt and counts its outcome (completed, failed for good, or handed back for a retry). */
  private async measured(queue: string, job: Job, token: string | undefined): Promise<void> {
    const done = this.metrics?.jobStarted(queue);
    const started = Date.now();
    let outcome: JobOutcome = 'completed';
    // The job's ids come from the log context (withJobLogContext): one line when it starts, one when it ends.
    this.logger.info({ attempt: job.attemptsMade + 1 }, 'job started');
    try {
      await this.process(queue, job, token);
      this.logger.info({ ms: Date.now() - started }, 'job completed');
    } catch (err) {
      const attempts = job.opts.attempts ?? 1;
      // attemptsMade counts finished attempts: this one is not in it yet. A job handed back at shutdown
      // (WaitingError) runs again whatever its attempts.
      outcome =
        err instanceof WaitingError || (!(err instanceof UnrecoverableError) && job.attemptsMade + 1 < attempts) ? 'retried' : 'failed';
      throw err;
    } finally {
      done?.(outcome);
    }
  }

  private async process(queue: string, job: Job, token: string | undefined): Promise<void> {
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job name ${job.name}`);
    const name = job.name;
    if (JOB_QUEUES[name] !== queue) throw new UnrecoverableError(`${name} jobs do not belong on the ${queue} queue`);
    const prepared = this.handlers.prepare(name, job.data);
    if (!prepared.ok) throw new UnrecoverableError(`invalid ${name} payload: ${prepared.error}`);
    const id = String(job.id);
    const poison = await this.poisonReason(queue, id, job);
    if (poison !== undefined) throw new UnrecoverableError(poison);
    // Cancels name a media: every job of that media running here stops (a chunked transcode's chunks too).
    const data: unknown = job.data;
    const mediaId = typeof data === 'object' && data !== null && 'mediaId' in data ? String(data.mediaId) : id;
    // The queue gave us a live we already run: our older copy lost its lock (a stall on a loaded box). It
    // stops (see the finally below: it waits for this copy, since BullMQ tracks locks by job id).
    if (queue === LIVE_QUEUE) this.running.lockLost(mediaId);
    const abort = this.running.start(mediaId);
    let parked = false;
    try {
      // The run's first ffmpeg is recorded before it spawns: from then on a death may be the file's doing.
      const markWork = () =>
        this.deaths
          .markWork(queue, id, job.stalledCounter)
          .catch((err: unknown) => this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'work start not recorded'));
      await withinBudget(
        () =>
          withWorkMark(markWork, () =>
            prepared.run({
              id,
              attemptsMade: job.attemptsMade,
              maxAttempts: job.opts.attempts ?? 1,
              reportProgress: (data) => job.updateProgress(data as object),
              signal: abort.signal,
              ...(queue === MEDIA_QUEUE && token !== undefined && { flow: this.flowOf(job, token, () => (parked = true)) }),
            }),
          ),
        abort,
        JOB_POLICIES[name].attemptTimeoutMs,
      );
    } catch (err) {
      if (parked && err instanceof JobParkedError) throw new WaitingChildrenError();
      if (abort.signal.reason instanceof JobHandedBackError && !(err instanceof PermanentJobError)) {
        // Back to wait as it is: BullMQ counts no attempt for a WaitingError, and the lock goes with the move.
        await job.moveToWait(token);
        this.logger.info({ jobId: job.id, name, queue }, 'job handed back to the queue');
        throw new WaitingError();
      }
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    } finally {
      this.running.finish(mediaId, abort);
      // A copy that lost its lock to a newer copy in this process: BullMQ tracks locks by job id, and this
      // copy's end would stop the lock renewal of the newer one (which would then stall in turn). So it
      // ends after the newer copy.
      if (abort.signal.reason instanceof JobLockLostError) await this.running.idle(mediaId);
    }
  }

  /**
   * A job started again after its worker died under it (BullMQ's stall counter went up): records where it
   * died, and gives the reason to fail it when it keeps dying at that point (worker-deaths.ts, issue 10).
   * The API records that outcome for the media, as for any job BullMQ's stall limit ended.
   */
  private async poisonReason(queue: string, id: string, job: Job): Promise<string | undefined> {
    if (job.stalledCounter === 0) return undefined;
    const [previous, workMark] = await Promise.all([this.deaths.get(queue, id), this.deaths.workMark(queue, id)]);
    const verdict = judgeStart(previous, { stalls: job.stalledCounter, progress: job.progress, workMark });
    if (!verdict.record) return undefined;
    await this.deaths.put(queue, id, verdict.record);
    const { stalls, point, inARow } = verdict.record;
    if (verdict.kind === 'run') {
      this.logger.warn({ stalls, diedAt: point, inARow }, 'job started again after its worker died');
      return undefined;
    }
    this.logger.error({ stalls, diedAt: point, inARow, reason: verdict.reason }, 'job failed: it kills its workers');
    return verdict.reason;
  }

  /**
   * BullMQ's "process step jobs" pattern (docs.bullmq.io/patterns/process-step-jobs): children are added
   * with this job as their parent, then the job moves to waiting-children and comes back to a worker when
   * every child completed (failParentOnFailure: a child failing for good fails it).
   */
  private flowOf(job: Job, token: string, onParked: () => void): JobFlow {
    return {
      resumed: async () => ((await job.getDependenciesCount({ processed: true })).processed ?? 0) > 0,
      waitForChildren: async (children: readonly ChildJob[]) => {
        const parent = { id: String(job.id), queue: job.queueQualifiedName };
        // Each child on its name's queue (the audio parts may have a queue of their own), in the given order,
        // all in one transaction (FlowProducer: one MULTI across queues). Added queue by queue, a worker that
        // died between two queues left a parent with only some children; once one of them completed, the
        // next run took itself for the resumed one (processed > 0) and assembled without the rest.
        await this.flowProducer().addBulk(
          children.map((c) => ({
            name: c.name,
            queueName: JOB_QUEUES[c.name],
            data: c.data,
            opts: { ...jobOptions(c.name, c.jobId), parent, failParentOnFailure: true },
          })),
        );
        if (!(await job.moveToWaitingChildren(token))) throw new Error('children finished before the parent could wait for them');
        onParked();
        throw new JobParkedError('waiting for children');
      },
    };
  }

  private flowProducer(): FlowProducer {
    if (!this.children) {
      this.children = new FlowProducer({ connection: this.redis.open('children', 'fail-fast'), prefix: this.config.queuePrefix });
      this.children.on('error', (err) => this.logger.warn({ err: err.message }, 'child producer error'));
    }
    return this.children;
  }

  /** The first shutdown phase: Redis and the database close only after this returns (their onApplicationShutdown). */
  async onModuleDestroy() {
    const graceMs = this.config.shutdownGraceMs;
    this.logger.info({ running: this.running.size, graceMs }, 'stopping worker: running jobs may finish within the grace');
    const closed = Promise.all(this.workers.map((w) => w.close()));
    const handBack = setTimeout(() => {
      const n = this.running.handBackAll();
      if (n > 0) this.logger.info({ jobs: n }, 'shutdown grace over: handing running jobs back to the queue');
    }, graceMs);
    try {
      await closed;
    } finally {
      clearTimeout(handBack);
      await this.children?.close();
    }
  }
}
