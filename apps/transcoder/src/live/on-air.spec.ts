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
    expect(calls.filter((c) => c === 'markLive')).toHaveLength(2);
    expect(calls.at(-1)).toBe('announce');
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
