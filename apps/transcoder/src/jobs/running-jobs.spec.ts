import { describe, expect, it } from 'vitest';
import { JobCancelledError, JobHandedBackError } from './job-context.js';
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

  it('at the end of the shutdown grace, stops every running job with the hand-back reason', () => {
    const running = new RunningJobs();
    const tries = [running.start('m1'), running.start('m1'), running.start('m2')];
    expect(running.handBackAll()).toBe(3);
    for (const t of tries) expect(t.signal.reason).toBeInstanceOf(JobHandedBackError);
    expect(new RunningJobs().handBackAll()).toBe(0);
  });
});
