import { describe, expect, it } from 'vitest';
import { POISON_JOB_FAILURE } from '@reelroom/contracts';
import { judgeStart, progressPoint, SAME_POINT_DEATHS, type DeathRecord, type StartVerdict } from './worker-deaths.js';

const progress = (percent: number) => ({ mediaId: '00000000-0000-4000-8000-000000000000', roomId: 'r', percent });

/**
 * Starts a job after each death in `diedAt` (one stall each), carrying the record as the worker does. Each
 * run that died had started its ffmpeg, except those in `beforeWork` (indexes: killed in its download or
 * probe, or starved of CPU before it got there).
 */
function startsAfterDeaths(diedAt: Array<number | null>, beforeWork: number[] = []): StartVerdict[] {
  let record: DeathRecord | undefined;
  let workMark: number | undefined;
  return diedAt.map((point, i) => {
    // The run at stall counter i died; it marked its work unless it died before.
    if (!beforeWork.includes(i)) workMark = i;
    const verdict = judgeStart(record, { stalls: i + 1, progress: point === null ? undefined : progress(point), workMark });
    record = verdict.record ?? record;
    return verdict;
  });
}

describe(judgeStart.name, () => {
  it('runs a job that never died, and remembers nothing for it', () => {
    expect(judgeStart(undefined, { stalls: 0, progress: undefined })).toEqual({ kind: 'run' });
    expect(judgeStart(undefined, { stalls: 0, progress: progress(40) })).toEqual({ kind: 'run' });
  });

  it('runs a job whose last death was already judged (no new stall since)', () => {
    const record = { stalls: 2, point: 30, inARow: 2 };
    expect(judgeStart(record, { stalls: 2, progress: progress(30) })).toEqual({ kind: 'run' });
  });

  it('keeps running a job killed far more often than the old limit of 3, as long as it dies at new points', () => {
    const verdicts = startsAfterDeaths([12, 40, 7, 63, 25, 88, 51, 2, 70]);
    expect(verdicts.map((v) => v.kind)).toEqual(Array(9).fill('run'));
    expect(verdicts.at(-1)?.record).toEqual({ stalls: 9, point: 70, inARow: 1 });
  });

  it(`fails a job that kills its worker at the same point ${SAME_POINT_DEATHS} times in a row, with where`, () => {
    const verdicts = startsAfterDeaths([48, 50.5, 47, 49, 52]);
    expect(verdicts.map((v) => v.kind)).toEqual(['run', 'run', 'run', 'run', 'poison']);
    const last = verdicts.at(-1)!;
    expect(last.kind === 'poison' && last.reason).toBe(`${POISON_JOB_FAILURE}: 5 times in a row at 48 %`);
  });

  it('fails a job that kills its worker before it reports any progress, every time', () => {
    const verdicts = startsAfterDeaths(Array.from({ length: SAME_POINT_DEATHS }, () => null));
    const last = verdicts.at(-1)!;
    expect(last.kind === 'poison' && last.reason).toBe(`${POISON_JOB_FAILURE}: 5 times in a row before it reported any progress`);
  });

  it('starts a new count when a death lands elsewhere: progress since is not held against the job', () => {
    const verdicts = startsAfterDeaths([30, 30, 30, 30, 80, 80, 80, 80]);
    expect(verdicts.map((v) => v.kind)).toEqual(Array(8).fill('run'));
    expect(verdicts.at(-1)?.record).toEqual({ stalls: 8, point: 80, inARow: 4 });
  });

  it('compares each death with the first of its run, so deaths creeping forward are new progress', () => {
    // Each 4 points further than the one before: within the tolerance of its neighbour, not of the first.
    const verdicts = startsAfterDeaths([10, 14, 18, 22, 26, 30]);
    expect(verdicts.map((v) => v.record?.inARow)).toEqual([1, 2, 1, 2, 1, 2]);
  });

  it('counts a death before any report as different from a death at a point', () => {
    const verdicts = startsAfterDeaths([0, null, 0, null, 0]);
    expect(verdicts.map((v) => v.record?.inARow)).toEqual([1, 1, 1, 1, 1]);
  });

  it('never fails a job whose runs all died before their ffmpeg started, at 0 % or before any report (a starved machine)', () => {
    const verdicts = startsAfterDeaths([0, 0, 0, 0, 0, 0, null, null], [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(verdicts.map((v) => v.kind)).toEqual(Array(8).fill('run'));
    expect(verdicts.at(-1)?.record).toEqual({ stalls: 8, point: null, inARow: 0 });
  });

  it('counts deaths at 0 % once ffmpeg had started (a file that crashes its worker as ffmpeg opens it)', () => {
    const verdicts = startsAfterDeaths([0, 0, 0, 0, 0]);
    const last = verdicts.at(-1)!;
    expect(last.kind === 'poison' && last.reason).toBe(`${POISON_JOB_FAILURE}: 5 times in a row at 0 %`);
  });

  it('neither counts nor breaks a streak with a death before the work: it says nothing about the file', () => {
    // Run 2 died in its download; its progress is still run 1's 48 % (or the 0 % of its own start).
    const verdicts = startsAfterDeaths([48, 48, 0, 49, 47, 48], [2]);
    expect(verdicts.map((v) => v.record?.inARow)).toEqual([1, 2, 2, 3, 4, 5]);
    expect(verdicts.at(-1)?.kind).toBe('poison');
    expect(startsAfterDeaths([48, 48, 48, 48, 48], [4]).at(-1)).toEqual({ kind: 'run', record: { stalls: 5, point: 48, inARow: 4 } });
  });

  it('takes only the mark of the run that died: an older run that reached ffmpeg does not count for it', () => {
    // The run at counter 3 died before its ffmpeg; the mark left is run 2's.
    expect(judgeStart({ stalls: 3, point: 0, inARow: 3 }, { stalls: 4, progress: progress(0), workMark: 2 })).toEqual({
      kind: 'run',
      record: { stalls: 4, point: 0, inARow: 3 },
    });
  });

  it('starts over when the stall counter went down (the job was re-added under the same id)', () => {
    const verdict = judgeStart({ stalls: 7, point: 20, inARow: 4 }, { stalls: 1, progress: progress(20), workMark: 0 });
    expect(verdict).toEqual({ kind: 'run', record: { stalls: 1, point: 20, inARow: 1 } });
  });
});

describe(progressPoint.name, () => {
  it('reads a number or the percent of a progress object, and nothing else', () => {
    expect(progressPoint(42)).toBe(42);
    expect(progressPoint(progress(12.5))).toBe(12.5);
    expect(progressPoint({ liveId: 'x', stateChanged: true })).toBeNull();
    expect(progressPoint({ percent: 'half' })).toBeNull();
    expect(progressPoint(undefined)).toBeNull();
    expect(progressPoint(Number.NaN)).toBeNull();
  });
});
