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
   * JobHandedBackError (this worker is shutting down).
   */
  signal: AbortSignal;
}

/** Thrown by handlers for input that will never succeed: the worker fails the job without retrying. */
export class PermanentJobError extends Error {}

/** The abort reason when a person cancelled or deleted the media: the job ends without retry. */
export class JobCancelledError extends Error {}

/**
 * The abort reason when this worker is shutting down and its grace ran out: the job goes back to the
 * queue at once for another worker (no lock to wait out, no attempt used), and its state back to queued.
 */
export class JobHandedBackError extends Error {}

/** The abort reason when a try outlives its budget (JOB_POLICIES' attemptTimeoutMs): retried like a crash. */
export class JobTimeoutError extends Error {}
