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
  /** Pause before trying a failed step again. */
  retryMs: number;
  /** A step failed and will be tried again (for the log). */
  onRetry: (err: unknown) => void;
}

/**
 * Puts a live on air once its first segments exist. A step that fails (a storage read cut off, a database
 * blip) is tried again for as long as the encode runs: giving up would leave the room on "starting" for the
 * whole live, with the stream being encoded and nobody shown it. A step that succeeded is not repeated: once
 * the row says live, only the announcement is tried again. True when this call put the live on air.
 */
export async function putOnAir(steps: OnAirSteps, { encoding, retryMs, onRetry }: OnAirOptions): Promise<boolean> {
  let marked = false;
  while (encoding()) {
    try {
      if (!marked) {
        if (!(await steps.firstSegments())) return false;
        await steps.publishMaster();
        if (!(await steps.markLive())) return false;
        marked = true;
      }
      await steps.announce();
      return true;
    } catch (err) {
      onRetry(err);
      await sleep(retryMs);
    }
  }
  return marked;
}
