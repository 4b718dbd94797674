import { describe, expect, it } from 'vitest';
import type { AdminQueueView } from '@reelroom/contracts';
import { formatAge, queueSummary, queueWarning } from './admin-format';

const queue = (over: Partial<AdminQueueView> = {}): AdminQueueView => ({
  name: 'media',
  paused: false,
  counts: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 },
  oldestWaitingSec: 0,
  workers: 1,
  ...over,
});

describe('admin console formatting', () => {
  it('writes ages in seconds, minutes, then hours and minutes', () => {
    expect(formatAge(0)).toBe('0 s');
    expect(formatAge(59.4)).toBe('59 s');
    expect(formatAge(60)).toBe('1 min');
    expect(formatAge(3599)).toBe('59 min');
    expect(formatAge(3600)).toBe('1 h');
    expect(formatAge(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
    expect(formatAge(-5)).toBe('0 s');
  });

  it('summarises a queue, naming the oldest wait only when something waits', () => {
    expect(queueSummary(queue())).toBe('running · 0 waiting · 0 running · 0 failed · 1 worker');
    expect(
      queueSummary(
        queue({ paused: true, counts: { waiting: 3, active: 1, delayed: 0, failed: 2, completed: 9 }, oldestWaitingSec: 125, workers: 2 }),
      ),
    ).toBe('paused · 3 waiting · 1 running · 2 failed · oldest waiting 2 min · 2 workers');
  });

  it('warns when work waits with no worker, or behind a pause', () => {
    expect(queueWarning(queue())).toBeNull();
    expect(queueWarning(queue({ workers: 0 }))).toBeNull();
    expect(queueWarning(queue({ workers: 0, counts: { waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0 } }))).toMatch(
      /no worker/,
    );
    expect(queueWarning(queue({ paused: true, counts: { waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0 } }))).toMatch(
      /^Paused/,
    );
  });
});
