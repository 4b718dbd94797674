import type { LiveEndReason } from '@reelroom/contracts';

export interface LiveBoundsOptions {
  /** Epoch ms at which the live must end: its start (from the live row, so a resume keeps it) + LIVE_MAX_DURATION_SEC. */
  deadlineAt: number;
  /** Bytes the live may hold on disk (LIVE_MAX_DISK_MB); 0: no bound. */
  maxBytes: number;
  /** Bytes the live holds now. */
  measure: () => Promise<number>;
  /** How often the disk use is measured. */
  pollMs: number;
  now?: () => number;
  /** Called once, when a bound is reached (before the signal aborts), e.g. to log it. */
  onReached?: (reason: LiveEndReason, detail: { bytes?: number }) => void;
}

/**
 * The bounds of one live (issue 8): its longest duration and its disk use. When one is reached, `signal`
 * aborts (the live's ffmpeg then stops as for any end: SIGTERM, segments finished) and `reason` says
 * which, for the live row and the room. Pure timers; the measure is injected.
 */
export class LiveBounds {
  private readonly controller = new AbortController();
  private deadline?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private measuring = false;
  reason: LiveEndReason | undefined;

  constructor(private readonly opts: LiveBoundsOptions) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): this {
    const now = this.opts.now ?? Date.now;
    this.deadline = setTimeout(() => this.reach('max-duration', {}), Math.max(0, this.opts.deadlineAt - now()));
    if (this.opts.maxBytes > 0) this.poll = setInterval(() => void this.check(), this.opts.pollMs);
    return this;
  }

  stop(): void {
    clearTimeout(this.deadline);
    clearInterval(this.poll);
  }

  private async check(): Promise<void> {
    // A slow disk must not stack measures up.
    if (this.measuring || this.reason) return;
    this.measuring = true;
    try {
      const bytes = await this.opts.measure();
      if (bytes > this.opts.maxBytes) this.reach('disk-limit', { bytes });
    } catch {
      // A folder being renamed into place under us: the next poll measures again.
    } finally {
      this.measuring = false;
    }
  }

  private reach(reason: LiveEndReason, detail: { bytes?: number }): void {
    if (this.reason) return;
    this.reason = reason;
    this.stop();
    this.opts.onReached?.(reason, detail);
    this.controller.abort(new Error(`live bound reached: ${reason}`));
  }
}
