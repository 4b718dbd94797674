import { JobName } from './jobs.js';

/**
 * How BullMQ treats one job name: tries, the wait between them, how long one try may run, and how long
 * the finished job is kept. One row per job name (PeerTube's JOB_ATTEMPTS / JOB_TTL / backoff tables in
 * job-queue.ts, in one place). The producer turns a row into the options of `Queue.add` (`jobOptions`);
 * the worker reads `attemptTimeoutMs` and `attempts` from the same row.
 */
export interface JobPolicy {
  /** Tries in total, the first one included. Bad input never uses them: the worker fails it at once. */
  attempts: number;
  /** Wait before try n+1: `delay` ms, doubled each time for `exponential` (docs.bullmq.io/guide/retrying-failing-jobs). */
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  /**
   * Wall-clock budget of one try, enforced by the worker (BullMQ has none of its own: a stuck handler
   * keeps renewing its lock forever). A backstop above the steps' own limits, which fire first.
   */
  attemptTimeoutMs: number;
  /** Completed jobs: `true` removes them at once (the database is the record). */
  removeOnComplete: boolean | { age: number };
  /** Failed jobs are kept this long (seconds) for operators, then removed. */
  removeOnFail: { age: number };
}

const HOUR_MS = 3_600_000;
const WEEK_SEC = 7 * 24 * 3600;

/**
 * A part of a chunked transcode is small and idempotent: a crash or a worker killed under it costs only
 * that part, redone by whichever worker is free. Rejected sources never retry (the part fails the media once).
 */
const PART_POLICY = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  attemptTimeoutMs: 24 * HOUR_MS,
  removeOnComplete: true,
  removeOnFail: { age: WEEK_SEC },
} as const satisfies JobPolicy;

export const JOB_POLICIES = {
  [JobName.Transcode]: {
    // One more try for a crash (a killed worker, a lost database or Redis connection, ffmpeg dying on a
    // signal), on whichever worker is free after 5 s. Rejected files, cancels and timeouts never retry.
    attempts: 2,
    backoff: { type: 'exponential', delay: 5_000 },
    // The transcoder refuses TRANSCODE_TIMEOUT_SEC above 20 h (its config), so ffmpeg's own limit
    // (default 6 h) plus probe and artwork always ends first; this only catches a try stuck elsewhere.
    attemptTimeoutMs: 24 * HOUR_MS,
    removeOnComplete: true,
    removeOnFail: { age: WEEK_SEC },
  },
  [JobName.Live]: {
    // One try: a live cannot be redone later. A worker that dies under it is not a try: the live queue's
    // short lock (LIVE_WORKER_LOCK_MS) hands the job to another worker, which resumes the same playlists
    // (issue 8). The API ends the live when the job fails.
    attempts: 1,
    backoff: { type: 'fixed', delay: 1_000 },
    // Backstop above the transcoder's LIVE_MAX_DURATION_SEC (at most 24 h), plus the replay steps.
    attemptTimeoutMs: 25 * HOUR_MS,
    removeOnComplete: true,
    removeOnFail: { age: WEEK_SEC },
  },
  [JobName.Import]: {
    // Network failures (a reset, a timeout, a 5xx) get one more try after 5 s; refusals (a private
    // address, too large, a web page) never retry: FetchError.permanent, mapped to UnrecoverableError.
    attempts: 2,
    backoff: { type: 'exponential', delay: 5_000 },
    // The fetcher's own total timeout (IMPORT_TOTAL_TIMEOUT_SEC, at most 20 h in the configs) fires
    // first; this is the backstop for a try stuck elsewhere (storage, the database).
    attemptTimeoutMs: 24 * HOUR_MS,
    removeOnComplete: true,
    removeOnFail: { age: WEEK_SEC },
  },
  [JobName.TranscodeChunk]: PART_POLICY,
  // An audio part is a part of the same flow on its own queue (AUDIO_PART_QUEUE): the same tries.
  [JobName.TranscodeAudioPart]: PART_POLICY,
} as const satisfies { [K in JobName]: JobPolicy };

/** The options a producer passes to `Queue.add` for this job name. */
export interface JobAddOptions {
  /** Deterministic id: BullMQ ignores an add() whose id exists, so re-enqueueing never duplicates work. */
  jobId: string;
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  removeOnComplete: boolean | { age: number };
  removeOnFail: { age: number };
}

/** Job options in one function (what every producer must use): the row of JOB_POLICIES plus the job id. */
export function jobOptions(name: JobName, jobId: string): JobAddOptions {
  const { attempts, backoff, removeOnComplete, removeOnFail } = JOB_POLICIES[name];
  return { jobId, attempts, backoff: { ...backoff }, removeOnComplete, removeOnFail: { ...removeOnFail } };
}
