import type { AdminJobsQuery, AdminJobView, AdminQueueName, AdminQueueView, AdminWorkerView } from '@reelroom/contracts';

/** A job that does not exist in that queue (or no longer). */
export class JobNotFoundError extends Error {}

/** The job is not in a state the action applies to (e.g. retry of a job that did not fail). */
export class JobStateError extends Error {}

/**
 * What operators see and steer in the queues (issue 10): counts and age for /metrics and the admin page,
 * pause and resume, jobs by state, retry of a failed job, the workers connected. BullQueueAdmin implements
 * it; the admin controller and the metrics scrape depend on this port.
 */
export abstract class QueueAdmin {
  abstract overview(): Promise<AdminQueueView[]>;
  abstract pause(queue: AdminQueueName): Promise<void>;
  abstract resume(queue: AdminQueueName): Promise<void>;
  abstract jobs(queue: AdminQueueName, query: AdminJobsQuery): Promise<AdminJobView[]>;
  /** A failed job back to waiting, attempts counted afresh. */
  abstract retry(queue: AdminQueueName, jobId: string): Promise<void>;
  abstract workers(): Promise<AdminWorkerView[]>;
}
