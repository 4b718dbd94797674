import type { AdminJobsQuery, AdminJobView, AdminQueueName, AdminQueueView, AdminWorkerView } from '@reelroom/contracts';

/**
 * What operators see and steer in the queues (issue 10): counts and age for /metrics and the admin page,
 * pause and resume, jobs by state, one job, the workers connected and their draining. BullQueueAdmin implements
 * it; the admin controller and the metrics scrape depend on this port.
 */
export abstract class QueueAdmin {
  abstract overview(): Promise<AdminQueueView[]>;
  abstract pause(queue: AdminQueueName): Promise<void>;
  abstract resume(queue: AdminQueueName): Promise<void>;
  abstract jobs(queue: AdminQueueName, query: AdminJobsQuery): Promise<AdminJobView[]>;
  /** One job and its state (failed, active, waiting, ...), or null when the queue has no such job. */
  abstract find(queue: AdminQueueName, jobId: string): Promise<{ job: AdminJobView; state: string } | null>;
  abstract workers(): Promise<AdminWorkerView[]>;
  /**
   * Drain (stop taking jobs; running ones finish) or resume a transcoder process (`<host>~<pid>`). False
   * when no connected worker belongs to that process.
   */
  abstract setDraining(worker: string, draining: boolean): Promise<boolean>;
}
