import { z } from 'zod';
import { AUDIO_PART_QUEUE, IMPORT_QUEUE, LIVE_QUEUE, MEDIA_QUEUE } from './jobs.js';

/**
 * The queues an operator can see and steer (issue 10): transcodes, the audio parts of chunked transcodes
 * (their own slot, so a paused or failing audio part is visible), lives and imports by link.
 */
export const ADMIN_QUEUES = [MEDIA_QUEUE, AUDIO_PART_QUEUE, LIVE_QUEUE, IMPORT_QUEUE] as const;
export type AdminQueueName = (typeof ADMIN_QUEUES)[number];

export const adminQueueParamSchema = z.enum(ADMIN_QUEUES, { error: `Unknown queue; one of ${ADMIN_QUEUES.join(', ')}.` });

/** BullMQ job ids are ours (media ids, live ids) or BullMQ's counters: short, no spaces or slashes. */
export const adminJobIdParamSchema = z
  .string()
  .min(1, 'A job id is required.')
  .max(100, 'A job id has at most 100 characters.')
  .regex(/^[A-Za-z0-9_:-]+$/, 'A job id has letters, digits, -, _ or : only.');

/** GET /api/admin/queues/:queue/jobs?state=failed&limit=50 */
export const adminJobsQuerySchema = z.object({
  state: z.enum(['failed', 'active', 'waiting', 'delayed', 'completed'], {
    error: 'state must be failed, active, waiting, delayed or completed.',
  }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AdminJobsQuery = z.infer<typeof adminJobsQuerySchema>;

export const adminQueueCountsSchema = z.object({
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  failed: z.number().int(),
  completed: z.number().int(),
});

export const adminQueueViewSchema = z.object({
  name: z.enum(ADMIN_QUEUES),
  paused: z.boolean(),
  counts: adminQueueCountsSchema,
  /** Seconds the oldest waiting job has waited; 0 when none waits. */
  oldestWaitingSec: z.number(),
  workers: z.number().int(),
});
export type AdminQueueView = z.infer<typeof adminQueueViewSchema>;

export const adminJobViewSchema = z.object({
  id: z.string(),
  queue: z.enum(ADMIN_QUEUES),
  name: z.string(),
  /** The job's payload ids (mediaId, roomId, liveId), never anything else. */
  mediaId: z.string().nullable(),
  roomId: z.string().nullable(),
  progress: z.number().nullable(),
  attemptsMade: z.number().int(),
  failedReason: z.string().nullable(),
  /** The worker that runs or ran it (its name: host, pid, concurrency). */
  processedBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type AdminJobView = z.infer<typeof adminJobViewSchema>;

export const adminWorkerViewSchema = z.object({
  queue: z.enum(ADMIN_QUEUES),
  /** What the worker named itself: host, process id and concurrency (see the transcoder's MediaWorker). */
  name: z.string(),
  host: z.string().nullable(),
  pid: z.number().int().nullable(),
  concurrency: z.number().int().nullable(),
  /** The Redis client's address and seconds since it connected / since its last command. */
  addr: z.string().nullable(),
  ageSec: z.number().nullable(),
  idleSec: z.number().nullable(),
  /** Drained by an administrator: takes no new job (the running ones finish) until resumed. */
  draining: z.boolean(),
});
export type AdminWorkerView = z.infer<typeof adminWorkerViewSchema>;

/** A worker's BullMQ name: `<host>~<pid>~c<concurrency>` (CLIENT SETNAME refuses spaces). */
export const workerName = (host: string, pid: number, concurrency: number) => `${workerProcessKey(host, pid)}~c${concurrency}`;

export function parseWorkerName(name: string): { host: string | null; pid: number | null; concurrency: number | null } {
  const m = /^([A-Za-z0-9._-]+)~(\d+)~c(\d+)$/.exec(name);
  return m ? { host: m[1], pid: Number(m[2]), concurrency: Number(m[3]) } : { host: null, pid: null, concurrency: null };
}

/**
 * A transcoder process, as the admin console drains and resumes it: `<host>~<pid>` (every queue that
 * process serves). The prefix of its workers' names (workerName).
 */
export const workerProcessKey = (host: string, pid: number) => `${host.replace(/[^A-Za-z0-9._-]/g, '_')}~${pid}`;

export const adminWorkerParamSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}~\d{1,10}$/, 'A worker is named <host>~<pid>, as the workers list shows it.');

/**
 * Drain and resume (issue 10). The wanted state lives in the Redis set `drainedWorkersKey` (so a worker
 * that missed a message, reconnecting, reads it again); a message on `workerControlChannel` tells the
 * worker to look now.
 */
export const workerControlMessageSchema = z.object({
  action: z.enum(['drain', 'resume']),
  worker: adminWorkerParamSchema,
});
export type WorkerControlMessage = z.infer<typeof workerControlMessageSchema>;
export const workerControlChannel = (queuePrefix: string) => `${queuePrefix}:workers:control`;
export const drainedWorkersKey = (queuePrefix: string) => `${queuePrefix}:workers:drained`;

/** GET /api/auth/me: the signed-in user and whether they may use the admin console. */
export const meViewSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  isGuest: z.boolean(),
  isAdmin: z.boolean(),
});
export type MeView = z.infer<typeof meViewSchema>;
