import { POISON_JOB_FAILURE } from '@reelroom/contracts';

/**
 * Deaths in a row at one point of a job that make it a poison job: failed, not started again. Five, not
 * two: a worker killed from outside (a deploy, an OOM of a neighbour, chaos) in the few seconds before a
 * run's first progress report also leaves the job at its start, so a few such deaths in a row happen to
 * healthy jobs on a busy cluster (bench/chaos-transcoders.mjs kills a worker every 5 s); five in a row at
 * one point is what a file that crashes its worker looks like.
 */
export const SAME_POINT_DEATHS = 5;

/**
 * How close two deaths must be (in percent of the job) to count as the same point. A crash at one place
 * in a file lands within a progress report or two of the same percent (a report every ~0.5 s of encoding);
 * deaths from outside land anywhere.
 */
export const SAME_POINT_TOLERANCE = 5;

/**
 * What the worker remembers of a job's deaths between its starts (in Redis, next to the job): BullMQ's
 * stall counter only says how often, not where.
 */
export interface DeathRecord {
  /** BullMQ's stall counter when this record was written: a higher one means the job died since. */
  stalls: number;
  /** Where the current run of deaths started (percent), or null when the job had reported none. */
  point: number | null;
  /** Deaths in a row at `point`, the first one included; 0 while no death has counted yet. */
  inARow: number;
}

export type StartVerdict =
  /** No death since the last start, or one that does not count against the job: run it. */
  | { kind: 'run'; record?: DeathRecord }
  /** The job keeps killing its worker at the same point: fail it with `reason`, never run it again. */
  | { kind: 'poison'; record: DeathRecord; reason: string };

/** The percent a job last reported (a number, or a `{ percent }` object as JobProgress), if any. */
export function progressPoint(progress: unknown): number | null {
  if (typeof progress === 'number' && Number.isFinite(progress)) return progress;
  if (typeof progress === 'object' && progress !== null && 'percent' in progress) {
    const { percent } = progress;
    if (typeof percent === 'number' && Number.isFinite(percent)) return percent;
  }
  return null;
}

const samePoint = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= SAME_POINT_TOLERANCE;

/**
 * Tells a job whose worker was killed under it from a job that kills its worker (issue 10). BullMQ counts
 * every stall alike and fails the job past maxStalledCount, so a healthy job on a cluster that loses
 * workers failed as if it were poison. Here a death counts against the job only when the job died at
 * the same point as at its previous death (within SAME_POINT_TOLERANCE): it made no new progress. A death
 * elsewhere starts a new count. SAME_POINT_DEATHS in a row make it poison. BullMQ's own maxStalledCount
 * stays as a far higher backstop for a job that dies everywhere.
 *
 * Only a run that had started its work (its first ffmpeg: the file was being read, ops/work-mark.ts) can
 * have been killed by the file. A run that died before (in its download or probe, or waiting for a CPU:
 * BullMQ's stalls also come from a starved event loop that cannot renew its lock) leaves progress at
 * 0 % or the previous run's point, and counting it as "the same point" declared healthy jobs on a starved
 * machine poison. Such a death neither counts nor breaks the streak: it says nothing about the file.
 *
 * `stalls` is the job's stall counter now; `progress` what it last reported, i.e. where the run that died
 * had got to (each run reports from its start, so a run killed before reporting leaves the previous one's);
 * `workMark` the stall counter of the last run that started its work (undefined: none did).
 */
export function judgeStart(previous: DeathRecord | undefined, now: { stalls: number; progress: unknown; workMark?: number }): StartVerdict {
  const known = previous && previous.stalls <= now.stalls ? previous : undefined;
  if (now.stalls === (known?.stalls ?? 0)) return { kind: 'run' };
  // The run that died is the one that ran at the counter before this stall.
  if (now.workMark !== now.stalls - 1)
    return { kind: 'run', record: { stalls: now.stalls, point: known?.point ?? null, inARow: known?.inARow ?? 0 } };
  const point = progressPoint(now.progress);
  const inARow = known && known.inARow > 0 && samePoint(known.point, point) ? known.inARow + 1 : 1;
  // The streak keeps its first point, so deaths creeping forward a little each time do not chain.
  const record: DeathRecord = { stalls: now.stalls, point: inARow > 1 && known ? known.point : point, inARow };
  if (inARow < SAME_POINT_DEATHS) return { kind: 'run', record };
  const where = record.point === null ? 'before it reported any progress' : `at ${Math.round(record.point)} %`;
  return { kind: 'poison', record, reason: `${POISON_JOB_FAILURE}: ${inARow} times in a row ${where}` };
}
