import { describe, expect, it } from 'vitest';
import { putOnAir, type OnAirSteps } from './on-air.js';

/** Steps that record their calls; `failing` names steps that throw on their first call. */
function steps(failing: Array<keyof OnAirSteps> = [], results: Partial<Record<'firstSegments' | 'markLive', boolean>> = {}) {
  const calls: string[] = [];
  const failed = new Set<string>();
  const step =
    <T>(name: keyof OnAirSteps, value: T) =>
    async (): Promise<T> => {
      calls.push(name);
      if (failing.includes(name) && !failed.has(name)) {
        failed.add(name);
        throw new Error(`${name}: aborted`);
      }
      return value;
    };
  const s: OnAirSteps = {
    firstSegments: step('firstSegments', results.firstSegments ?? true),
    publishMaster: step('publishMaster', undefined),
    markLive: step('markLive', results.markLive ?? true),
    announce: step('announce', undefined),
  };
  return { steps: s, calls };
}

const options = (retries: unknown[] = [], encoding = () => true) => ({
  encoding,
  retryMs: 1,
  maxRetryMs: 4,
  onRetry: (err: unknown) => retries.push(err),
});

describe(putOnAir.name, () => {
  it('waits for the first segments, publishes the master, marks the live and announces it, in that order', async () => {
    const { steps: s, calls } = steps();
    expect(await putOnAir(s, options())).toBe(true);
    expect(calls).toEqual(['firstSegments', 'publishMaster', 'markLive', 'announce']);
  });

  it('tries again when the storage check fails (a read cut off), instead of leaving the live starting', async () => {
    const { steps: s, calls } = steps(['firstSegments']);
    const retries: unknown[] = [];
    expect(await putOnAir(s, options(retries))).toBe(true);
    expect(calls).toEqual(['firstSegments', 'firstSegments', 'publishMaster', 'markLive', 'announce']);
    expect(retries).toHaveLength(1);
    expect(String(retries[0])).toContain('aborted');
  });

  it('tries the master and the database again when they fail', async () => {
    const { steps: s, calls } = steps(['publishMaster', 'markLive']);
    expect(await putOnAir(s, options())).toBe(true);
    // Each step runs again only where it failed: the first segments are not waited for a second time.
    expect(calls).toEqual(['firstSegments', 'publishMaster', 'publishMaster', 'markLive', 'markLive', 'announce']);
  });

  it('announces a live whose mark threw after the database had written it (the retry reads our own write)', async () => {
    let marks = 0;
    const announced: string[] = [];
    const s: OnAirSteps = {
      firstSegments: async () => true,
      publishMaster: async () => undefined,
      markLive: async () => {
        marks++;
        if (marks === 1) throw new Error('Connection terminated unexpectedly');
        return false; // already live: the first try had committed
      },
      announce: async () => void announced.push('announce'),
    };
    expect(await putOnAir(s, options())).toBe(true);
    expect(announced).toEqual(['announce']);
  });

  it('waits longer after each failure, up to its cap, so a failure that lasts does not flood the log', async () => {
    let fails = 5;
    const waits: number[] = [];
    const s: OnAirSteps = {
      firstSegments: async () => {
        if (fails-- > 0) throw new Error('SlowDown');
        return true;
      },
      publishMaster: async () => undefined,
      markLive: async () => true,
      announce: async () => undefined,
    };
    expect(await putOnAir(s, { ...options(), wait: async (ms) => waits.push(ms) })).toBe(true);
    expect(waits).toEqual([1, 2, 4, 4, 4]);
  });

  it('once the row says live, tries only the announcement again (the room still hears it)', async () => {
    const { steps: s, calls } = steps(['announce']);
    expect(await putOnAir(s, options())).toBe(true);
    expect(calls).toEqual(['firstSegments', 'publishMaster', 'markLive', 'announce', 'announce']);
  });

  it('announces nothing when the live is not starting any more, or the encode ended before its first segments', async () => {
    const ended = steps([], { markLive: false });
    expect(await putOnAir(ended.steps, options())).toBe(false);
    expect(ended.calls).not.toContain('announce');
    const short = steps([], { firstSegments: false });
    expect(await putOnAir(short.steps, options())).toBe(false);
    expect(short.calls).toEqual(['firstSegments']);
  });

  it('stops trying when the encode ends', async () => {
    let encoding = true;
    const s: OnAirSteps = {
      firstSegments: async () => {
        encoding = false;
        throw new Error('bucket gone');
      },
      publishMaster: async () => undefined,
      markLive: async () => true,
      announce: async () => undefined,
    };
    expect(
      await putOnAir(
        s,
        options([], () => encoding),
      ),
    ).toBe(false);
  });
});
