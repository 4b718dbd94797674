import { describe, expect, it } from 'vitest';
import { liveLocks, vodLocks } from './queue-locks.js';

describe(liveLocks.name, () => {
  it("hands a dead worker's live on within 5 s by default: lock plus two stall checks", () => {
    const l = liveLocks(2000);
    expect(l.lockDuration + 2 * l.stalledInterval).toBeLessThanOrEqual(4000);
    // A live survives more worker deaths than a file does.
    expect(l.maxStalledCount).toBeGreaterThan(vodLocks(30_000).maxStalledCount);
  });

  it('never checks for stalls more than twice a second', () => {
    expect(liveLocks(1000).stalledInterval).toBe(500);
  });
});

describe(vodLocks.name, () => {
  it('checks for stalls once per lock', () => {
    expect(vodLocks(30_000)).toEqual({ lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 10 });
  });
});
