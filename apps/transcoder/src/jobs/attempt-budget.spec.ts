import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withinBudget } from './attempt-budget.js';
import { JobTimeoutError } from './job-context.js';

describe(withinBudget.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('returns what the try returns and leaves the signal alone', async () => {
    const abort = new AbortController();
    await expect(withinBudget(async () => 'done', abort, 1000)).resolves.toBe('done');
    vi.advanceTimersByTime(5000);
    expect(abort.signal.aborted).toBe(false);
  });

  it('aborts the try with a JobTimeoutError at the budget, so it can stop ffmpeg and record the failure itself', async () => {
    const abort = new AbortController();
    const run = withinBudget(
      () => new Promise<string>((_, reject) => abort.signal.addEventListener('abort', () => reject(new Error('ffmpeg was cancelled')))),
      abort,
      1000,
      500,
    );
    const settled = run.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(abort.signal.reason).toBeInstanceOf(JobTimeoutError);
    expect(await settled).toEqual(new Error('ffmpeg was cancelled'));
  });

  it('gives up on a try that ignores the abort after the grace period, releasing the job', async () => {
    const abort = new AbortController();
    const settled = withinBudget(() => new Promise<never>(() => undefined), abort, 1000, 500).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1499);
    expect(abort.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    const err = await settled;
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect((err as Error).message).toBe('the try ran longer than its 1 s budget');
  });
});
