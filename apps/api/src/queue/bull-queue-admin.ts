import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  ADMIN_QUEUES,
  drainedWorkersKey,
  parseWorkerName,
  workerControlChannel,
  workerProcessKey,
  type WorkerControlMessage,
  type AdminJobsQuery,
  type AdminJobView,
  type AdminQueueName,
  type AdminQueueView,
  type AdminWorkerView,
} from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { QueueAdmin } from './queue-admin.js';

const iso = (ms: number | undefined | null) => (ms ? new Date(ms).toISOString() : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

/** The percent a job reported (ours report {percent}; BullMQ also allows a bare number). */
function percentOf(progress: unknown): number | null {
  if (typeof progress === 'number') return progress;
  if (progress && typeof progress === 'object' && typeof (progress as { percent?: unknown }).percent === 'number') {
    return (progress as { percent: number }).percent;
  }
  return null;
}

/**
 * BullMQ behind QueueAdmin: one Queue object per queue on a fail-fast connection of its own
 * (`queue-admin`), so a scrape or an admin call while Redis is down fails in milliseconds.
 */
@Injectable()
export class BullQueueAdmin extends QueueAdmin implements OnModuleDestroy {
  readonly queues: ReadonlyMap<AdminQueueName, Queue>;
  private readonly connection: Redis;
  private readonly prefix: string;

  constructor(connections: RedisConnections, @Inject(LOGGER) logger: Logger) {
    super();
    const connection = connections.connection('queue-admin', 'fail-fast');
    this.connection = connection;
    this.prefix = connections.prefix;
    this.queues = new Map(
      ADMIN_QUEUES.map((name) => {
        const q = new Queue(name, { connection, prefix: connections.prefix });
        q.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'admin queue error'));
        return [name, q] as const;
      }),
    );
  }

  private q(name: AdminQueueName): Queue {
    return this.queues.get(name)!;
  }

  async overview(): Promise<AdminQueueView[]> {
    return Promise.all(
      ADMIN_QUEUES.map(async (name) => {
        const q = this.q(name);
        const [c, paused, oldest, workers] = await Promise.all([
          q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
          q.isPaused(),
          // Ascending: the first job is the one that has waited longest.
          q.getJobs(['waiting', 'prioritized'], 0, 0, true),
          q.getWorkersCount(),
        ]);
        const since = oldest[0]?.timestamp;
        return {
          name,
          paused,
          counts: {
            waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            failed: c.failed ?? 0,
            completed: c.completed ?? 0,
          },
          oldestWaitingSec: since ? Math.max(0, (Date.now() - since) / 1000) : 0,
          workers,
        };
      }),
    );
  }

  pause(queue: AdminQueueName): Promise<void> {
    return this.q(queue).pause();
  }

  resume(queue: AdminQueueName): Promise<void> {
    return this.q(queue).resume();
  }

  async jobs(queue: AdminQueueName, query: AdminJobsQuery): Promise<AdminJobView[]> {
    const types = query.state === 'waiting' ? (['waiting', 'prioritized'] as const) : ([query.state] as const);
    const jobs = await this.q(queue).getJobs([...types], 0, query.limit - 1, query.state === 'waiting');
    return jobs.filter((j): j is Job => Boolean(j)).map((j) => this.view(queue, j));
  }

  async find(queue: AdminQueueName, jobId: string): Promise<{ job: AdminJobView; state: string } | null> {
    const job = await this.q(queue).getJob(jobId);
    if (!job) return null;
    return { job: this.view(queue, job), state: await job.getState() };
  }

  async workers(): Promise<AdminWorkerView[]> {
    const drained = new Set(await this.connection.smembers(drainedWorkersKey(this.prefix)));
    const perQueue = await Promise.all(
      ADMIN_QUEUES.map(async (queue) =>
        (await this.q(queue).getWorkers()).map((w): AdminWorkerView => {
          // rawname: "<prefix>:<queue>:w:<name>"; a worker without a name has none after the marker.
          const raw = w.rawname ?? '';
          const at = raw.indexOf(':w:');
          const name = at >= 0 ? raw.slice(at + 3) : '';
          const parsed = parseWorkerName(name);
          return {
            queue,
            name: name || '(unnamed)',
            ...parsed,
            addr: w.addr ?? null,
            ageSec: num(w.age),
            idleSec: num(w.idle),
            draining: parsed.host !== null && parsed.pid !== null && drained.has(workerProcessKey(parsed.host, parsed.pid)),
          };
        }),
      ),
    );
    return perQueue.flat();
  }

  async setDraining(worker: string, draining: boolean): Promise<boolean> {
    const known = (await this.workers()).some((w) => w.host !== null && w.pid !== null && workerProcessKey(w.host, w.pid) === worker);
    // Resuming a process that is gone still clears its entry; draining one that is not there is a 404.
    if (!known && draining) return false;
    const key = drainedWorkersKey(this.prefix);
    await (draining ? this.connection.sadd(key, worker) : this.connection.srem(key, worker));
    const message: WorkerControlMessage = { action: draining ? 'drain' : 'resume', worker };
    await this.connection.publish(workerControlChannel(this.prefix), JSON.stringify(message));
    return known;
  }

  private view(queue: AdminQueueName, j: Job): AdminJobView {
    const data = (j.data ?? {}) as Record<string, unknown>;
    return {
      id: String(j.id),
      queue,
      name: j.name,
      mediaId: str(data.mediaId) ?? str(data.liveId),
      roomId: str(data.roomId),
      progress: percentOf(j.progress),
      attemptsMade: j.attemptsMade ?? 0,
      failedReason: j.failedReason || null,
      processedBy: j.processedBy ?? null,
      createdAt: iso(j.timestamp) ?? new Date(0).toISOString(),
      startedAt: iso(j.processedOn),
      finishedAt: iso(j.finishedOn),
    };
  }

  async onModuleDestroy() {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
