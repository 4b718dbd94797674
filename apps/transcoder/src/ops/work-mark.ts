import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Tells a job's worker when the job's own work began: the first ffmpeg of the run, the point from which the
 * file itself is read and could crash the process. Before it (the download, the probe, the wait for a CPU
 * on a starved machine) a death says nothing about the file (worker-deaths.ts). Bound per run through
 * AsyncLocalStorage, so FfmpegRunner, the one place that spawns ffmpeg, needs no job in its options.
 */
const current = new AsyncLocalStorage<() => Promise<void>>();

/** Runs `fn`; `onWorkStarted` is awaited once, before the first ffmpeg that `fn` starts is spawned. */
export function withWorkMark<T>(onWorkStarted: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  let marked: Promise<void> | undefined;
  return current.run(() => (marked ??= onWorkStarted()), fn);
}

/**
 * Called by FfmpegRunner before it spawns: resolves once the mark is stored, so a file that kills the
 * worker the moment ffmpeg opens it still leaves the mark behind. Outside a job: nothing to mark.
 */
export function markWorkStarted(): Promise<void> {
  return current.getStore()?.() ?? Promise.resolve();
}
