export interface FetchProgress {
  /** Bytes written to the sink so far. */
  bytes: number;
  /** The expected total when the server declared it (single files); null when unknown. */
  totalBytes: number | null;
  /** HLS only: segments (and the init segment) written so far and how many there are. */
  segmentsDone?: number;
  segmentCount?: number;
}

/**
 * Passes progress on at most once per interval, plus the final figure, so a fast download does not turn
 * into thousands of job-progress writes. Pure apart from the injected clock.
 */
export class ProgressThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private last: FetchProgress | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly emit: (p: FetchProgress) => void,
  ) {}

  report(p: FetchProgress): void {
    const t = this.now();
    if (t - this.lastAt < this.intervalMs) return;
    this.send(p, t);
  }

  /** The last figure always goes out, unless it was already the last one sent. */
  flush(p: FetchProgress): void {
    if (this.last && sameProgress(this.last, p)) return;
    this.send(p, this.now());
  }

  private send(p: FetchProgress, t: number): void {
    this.lastAt = t;
    this.last = { ...p };
    this.emit(p);
  }
}

function sameProgress(a: FetchProgress, b: FetchProgress): boolean {
  return a.bytes === b.bytes && a.totalBytes === b.totalBytes && a.segmentsDone === b.segmentsDone && a.segmentCount === b.segmentCount;
}
