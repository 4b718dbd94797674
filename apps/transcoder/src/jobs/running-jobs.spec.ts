import { describe, expect, it } from 'vitest';
import { JobCancelledError, JobHandedBackError, JobLockLostError } from './job-context.js';
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

  it('stops a job that lost its lock with its own reason, and says when nothing runs under the id any more', async () => {
    const running = new RunningJobs();
    const older = running.start('live-1');
    expect(running.lockLost('live-1')).toBe(true);
    expect(older.signal.reason).toBeInstanceOf(JobLockLostError);
    const newer = running.start('live-1');
    let idle = false;
    const waiting = running.idle('live-1').then(() => (idle = true));
    running.finish('live-1', older);
    await Promise.resolve();
    expect(idle).toBe(false);
    running.finish('live-1', newer);
    await waiting;
    expect(idle).toBe(true);
    expect(running.lockLost('live-1')).toBe(false);
    await running.idle('live-1');
  });
});
