import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveBounds } from './live-bounds.js';

describe(LiveBounds.name, () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('ends the live at its deadline, counted from the start it was given (a resume keeps it)', () => {
    const bounds = new LiveBounds({ deadlineAt: 1_000_000 + 5_000, maxBytes: 0, measure: async () => 0, pollMs: 1000 }).start();
    vi.advanceTimersByTime(4_999);
    expect(bounds.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect([bounds.signal.aborted, bounds.reason]).toEqual([true, 'max-duration']);
  });

  it('ends a live whose deadline has already passed at once', async () => {
    const bounds = new LiveBounds({ deadlineAt: 0, maxBytes: 0, measure: async () => 0, pollMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(0);
    expect(bounds.reason).toBe('max-duration');
  });

  it('ends the live when its disk use passes the bound, and says how much it measured', async () => {
    let bytes = 100;
    const reached = vi.fn();
    const bounds = new LiveBounds({
      deadlineAt: 1_000_000 + 3_600_000,
      maxBytes: 1_000,
      measure: async () => bytes,
      pollMs: 1000,
      onReached: reached,
    }).start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(bounds.signal.aborted).toBe(false);
    bytes = 1_001;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(bounds.reason).toBe('disk-limit');
    expect(reached).toHaveBeenCalledExactlyOnceWith('disk-limit', { bytes: 1_001 });
  });

  it('measures nothing without a disk bound, and nothing more once stopped', async () => {
    const measure = vi.fn(async () => 5);
    new LiveBounds({ deadlineAt: 1_000_000 + 3_600_000, maxBytes: 0, measure, pollMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(measure).not.toHaveBeenCalled();
    const bounded = new LiveBounds({ deadlineAt: 1_000_000 + 3_600_000, maxBytes: 10, measure, pollMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(1_000);
    bounded.stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(measure).toHaveBeenCalledOnce();
    expect(bounded.signal.aborted).toBe(false);
  });
});
