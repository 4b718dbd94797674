import { Injectable } from '@nestjs/common';
import { JobCancelledError, JobHandedBackError, JobLockLostError } from './job-context.js';

/**
 * The jobs this process is running, by job id (= media id), each with the AbortController that stops it.
 * One id can have two entries for a moment: an import queues its media's transcode before its own try
 * has returned, and this process may start that transcode at once. A cancel stops both.
 */
@Injectable()
export class RunningJobs {
  private readonly jobs = new Map<string, Set<AbortController>>();
  /** Waiters for an id to have no running entry (idle()). */
  private readonly idleWaiters = new Map<string, Array<() => void>>();

  start(jobId: string): AbortController {
    const abort = new AbortController();
    const set = this.jobs.get(jobId) ?? new Set<AbortController>();
    set.add(abort);
    this.jobs.set(jobId, set);
    return abort;
  }

  finish(jobId: string, abort?: AbortController): void {
    const set = this.jobs.get(jobId);
    if (!set) return;
    if (abort) set.delete(abort);
    else set.clear();
    if (set.size === 0) {
      this.jobs.delete(jobId);
      for (const wake of this.idleWaiters.get(jobId) ?? []) wake();
      this.idleWaiters.delete(jobId);
    }
  }

  /** Resolves once nothing runs under this id here (at once when nothing does). */
  idle(jobId: string): Promise<void> {
    if (!this.jobs.has(jobId)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.set(jobId, [...(this.idleWaiters.get(jobId) ?? []), resolve]));
  }

  get size(): number {
    let n = 0;
    for (const set of this.jobs.values()) n += set.size;
    return n;
  }

  /** true when this process was running the job (and has now told it to stop). */
  cancel(jobId: string): boolean {
    const set = this.jobs.get(jobId);
    if (!set || set.size === 0) return false;
    for (const abort of set) abort.abort(new JobCancelledError(`job ${jobId} cancelled`));
    return true;
  }

  /** The queue says this worker lost the job's lock: the job stops here (another worker may run it). */
  lockLost(jobId: string): boolean {
    const set = this.jobs.get(jobId);
    if (!set || set.size === 0) return false;
    for (const abort of set) abort.abort(new JobLockLostError(`lost the lock of job ${jobId}`));
    return true;
  }

  /** Shutdown ran out of grace: every running job stops and goes back to the queue. Returns how many. */
  handBackAll(): number {
    let n = 0;
    for (const set of this.jobs.values())
      for (const abort of set) {
        abort.abort(new JobHandedBackError('this worker is shutting down'));
        n++;
      }
    return n;
  }
}
