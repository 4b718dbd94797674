import { AsyncLocalStorage } from 'node:async_hooks';

/** The ids of the job being run, added to every log line written while it runs (issue 10). */
export interface JobLogFields {
  jobId: string;
  queue: string;
  name: string;
  mediaId?: string;
  roomId?: string;
  liveId?: string;
}

const storage = new AsyncLocalStorage<JobLogFields>();

/** For pino's `mixin`: a copy (pino merges the call's own fields into it; the call's win). */
export function currentJobLogFields(): Partial<JobLogFields> {
  const store = storage.getStore();
  return store ? { ...store } : {};
}

/** Runs a job's attempt so that every line it writes (ffmpeg, storage, state changes) names the job. */
export function withJobLogContext<T>(fields: JobLogFields, fn: () => T): T {
  return storage.run(fields, fn);
}

/** The ids a job payload names (transcodes and imports carry mediaId and roomId, lives a liveId). */
export function jobLogFields(job: { id?: string | null; name: string; data: unknown }, queue: string): JobLogFields {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof data[k] === 'string' ? data[k] : undefined);
  const fields: JobLogFields = { jobId: String(job.id), queue, name: job.name };
  for (const k of ['mediaId', 'roomId', 'liveId'] as const) {
    const v = str(k);
    if (v) fields[k] = v;
  }
  return fields;
}
