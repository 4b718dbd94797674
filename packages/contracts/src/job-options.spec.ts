import { describe, expect, it } from 'vitest';
import { JOB_POLICIES, jobOptions } from './job-options.js';
import { JobName } from './jobs.js';

describe(jobOptions.name, () => {
  it('builds Queue.add options from the job name row plus a deterministic job id', () => {
    expect(jobOptions(JobName.Transcode, 'm-1')).toEqual({
      jobId: 'm-1',
      attempts: 2,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  });

  it('hands out copies: a caller changing its options cannot change the table', () => {
    const o = jobOptions(JobName.Transcode, 'x');
    o.backoff.delay = 1;
    o.removeOnFail.age = 1;
    expect(JOB_POLICIES[JobName.Transcode].backoff.delay).toBe(5_000);
    expect(JOB_POLICIES[JobName.Transcode].removeOnFail.age).toBe(7 * 24 * 3600);
  });

  it('gives every job a try budget longer than the transcoder accepts for ffmpeg (20 h)', () => {
    for (const name of Object.values(JobName)) expect(JOB_POLICIES[name].attemptTimeoutMs).toBeGreaterThan(20 * 3_600_000);
  });

  it('gives a live job one try: a live cannot be redone later', () => {
    expect(jobOptions(JobName.Live, 'l-1')).toMatchObject({ jobId: 'l-1', attempts: 1 });
  });
});
