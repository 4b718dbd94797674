import { Injectable } from '@nestjs/common';
import { JobCancelledError } from './job-context.js';

/** The jobs this process is running, by job id (= media id), each with the AbortController that stops it. */
@Injectable()
export class RunningJobs {
  private readonly jobs = new Map<string, AbortController>();

  start(jobId: string): AbortController {
    const abort = new AbortController();
    this.jobs.set(jobId, abort);
    return abort;
  }

  finish(jobId: string): void {
    this.jobs.delete(jobId);
  }

  get size(): number {
    return this.jobs.size;
  }

  /** true when this process was running the job (and has now told it to stop). */
  cancel(jobId: string): boolean {
    const abort = this.jobs.get(jobId);
    if (!abort) return false;
    abort.abort(new JobCancelledError(`job ${jobId} cancelled`));
    return true;
  }
}
