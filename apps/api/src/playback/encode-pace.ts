/**
 * How fast a video converts, in percent per second of wall time, from the progress reports this process
 * heard for it: the percent now against the first report (issue 11: a room that starts a
 * video as soon as its first segment exists need not be held when the encoder outruns it). Kept in memory
 * per API process, since every process hears every report; forgotten when the video is done or after
 * FORGET_AFTER_MS without a report (a worker that died).
 */
export class EncodePace {
  private readonly first = new Map<string, { at: number; done: number; lastAt: number }>();

  /** Records a report (`done` percent converted at `now`); returns percent per second so far, or undefined while too early to say. */
  observe(mediaId: string, done: number, now: number): number | undefined {
    this.forgetStale(now);
    const seen = this.first.get(mediaId);
    if (!seen) {
      this.first.set(mediaId, { at: now, done, lastAt: now });
      return undefined;
    }
    seen.lastAt = now;
    const wall = (now - seen.at) / 1000;
    if (wall < MIN_WINDOW_SEC || done < seen.done) return undefined;
    return (done - seen.done) / wall;
  }

  forget(mediaId: string): void {
    this.first.delete(mediaId);
  }

  private forgetStale(now: number) {
    for (const [id, s] of this.first) if (now - s.lastAt > FORGET_AFTER_MS) this.first.delete(id);
  }
}

/** Progress comes about twice a second: a pace over less than a second is mostly rounding. */
export const MIN_WINDOW_SEC = 1;
const FORGET_AFTER_MS = 10 * 60_000;
