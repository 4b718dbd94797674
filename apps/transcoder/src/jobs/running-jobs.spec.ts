import { describe, expect, it } from 'vitest';
import { JobCancelledError } from './job-context.js';
import { RunningJobs } from './running-jobs.js';

describe(RunningJobs.name, () => {
  it('keeps an import and the transcode it queued apart: finishing one leaves the other cancellable', () => {
    const running = new RunningJobs();
    const importTry = running.start('m1');
    const transcodeTry = running.start('m1');
    running.finish('m1', importTry);
    expect(running.size).toBe(1);
    expect(running.cancel('m1')).toBe(true);
    expect(transcodeTry.signal.reason).toBeInstanceOf(JobCancelledError);
    expect(importTry.signal.aborted).toBe(false);
    running.finish('m1', transcodeTry);
    expect(running.cancel('m1')).toBe(false);
  });
});
