import type { JobName, JobPayload } from '@reelroom/contracts';

/** A child job for JobFlow.waitForChildren, on the parent's queue. */
export interface ChildJob<K extends JobName = JobName> {
  name: K;
  data: JobPayload<K>;
  /** Unique among this parent's children and across its runs (a retry makes new children). */
  jobId: string;
}

/**
 * Parent and children (a BullMQ flow, issue 11): the job hands its work to child jobs that any worker
 * takes, and runs again once every child succeeded. A child that fails for good fails the parent.
 */
export interface JobFlow {
  /** True when this run is the one after the children finished. */
  resumed(): Promise<boolean>;
  /** Adds the children in order (the first is taken first) and parks this job until they are done. */
  waitForChildren(children: readonly ChildJob[]): Promise<never>;
}

/** What a handler may do with its BullMQ job: the handler never sees BullMQ itself. */
export interface JobContext {
  id: string;
  /** Attempts already made before this one. */
  attemptsMade: number;
  /** Total attempts allowed. */
  maxAttempts: number;
  reportProgress(data: unknown): Promise<void>;
  /**
   * Aborted with a JobCancelledError (a person stopped it), a JobTimeoutError (the try ran out of time) or a
   * JobHandedBackError (this worker is shutting down) or a JobLockLostError (another worker may have it now).
   */
  signal: AbortSignal;
  /** Media-queue jobs only: split the work into child jobs. */
  flow?: JobFlow;
}

/** Thrown by JobFlow.waitForChildren: the job is parked until its children finish (not a failure). */
export class JobParkedError extends Error {}

/** Thrown by handlers for input that will never succeed: the worker fails the job without retrying. */
export class PermanentJobError extends Error {}

/** The abort reason when a person cancelled or deleted the media: the job ends without retry. */
export class JobCancelledError extends Error {}

/**
 * The abort reason when this worker is shutting down and its grace ran out: the job goes back to the
 * queue at once for another worker (no lock to wait out, no attempt used), and its state back to queued.
 */
export class JobHandedBackError extends Error {}

/**
 * The abort reason when this worker could not renew the job's lock (Redis was out of reach, or the process
 * stalled longer than the lock): the queue may already have given the job to another worker, so this copy
 * stops without touching the job's state. A live (issue 8) relies on it: two transcoders must never write
 * the same playlists.
 */
export class JobLockLostError extends Error {}

/** The abort reason when a try outlives its budget (JOB_POLICIES' attemptTimeoutMs): retried like a crash. */
export class JobTimeoutError extends Error {}
