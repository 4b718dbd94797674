import { setTimeout as sleep } from 'node:timers/promises';

/** What putting a live on air takes, in order (the live handler gives storage, database and queue steps). */
export interface OnAirSteps {
  /** True once every rung has its first segment; false when the encode ended first. */
  firstSegments(): Promise<boolean>;
  /** master.m3u8, from the rungs' init segments. */
  publishMaster(): Promise<void>;
  /** `starting` → `live`; false when the live is not starting (ended meanwhile, or a resume already live). */
  markLive(): Promise<boolean>;
  /** Tells the API, which tells the room. */
  announce(): Promise<void>;
}

export interface OnAirOptions {
  /** Whether the encode still runs: tries stop when it ends. */
  encoding: () => boolean;
  /** Pause before the first try again; it doubles after each failure, up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  /** A step failed and will be tried again (for the log). */
  onRetry: (err: unknown) => void;
  /** The pause itself (a timer; specs record it). */
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * Puts a live on air once its first segments exist. A step that fails (a storage read cut off, a database
 * blip) is tried again, with a growing pause, for as long as the encode runs: giving up would leave the
 * room on "starting" for the whole live, with the stream being encoded and nobody shown it. A step that
 * succeeded is not run again. True when this call put the live on air.
 */
export async function putOnAir(
  steps: OnAirSteps,
  { encoding, retryMs, maxRetryMs, onRetry, wait = sleep }: OnAirOptions,
): Promise<boolean> {
  const done = { segments: false, master: false, marked: false };
  // A markLive that threw may have committed before the error reached us: its retry then reads "not
  // starting", which is our own write, so the room is told anyway (telling it makes it re-read the row).
  let markThrew = false;
  let pause = retryMs;
  while (encoding()) {
    try {
      if (!done.segments) {
        if (!(await steps.firstSegments())) return false;
        done.segments = true;
      }
      if (!done.master) {
        await steps.publishMaster();
        done.master = true;
      }
      if (!done.marked) {
        const marked = await steps.markLive().catch((err: unknown) => {
          markThrew = true;
          throw err;
        });
        if (!marked && !markThrew) return false;
        done.marked = true;
      }
      await steps.announce();
      return true;
    } catch (err) {
      onRetry(err);
      await wait(pause);
      pause = Math.min(maxRetryMs, pause * 2);
    }
  }
  return done.marked;
}
