import type { Logger } from 'pino';
import type { JobProgress } from '@reelroom/contracts';
import type { FetchProgress } from '@reelroom/fetch';
import type { ImportStateStore } from '../media/media-state.repository.js';
import type { JobContext } from './job-context.js';
import { PROGRESS_WRITE_MS } from './transcode-progress.js';

/** Percent of an import: of the declared size, else of the HLS segments, else unknown (0). */
export function importPercent(p: FetchProgress): number {
  if (p.totalBytes) return Math.min(100, (p.bytes / p.totalBytes) * 100);
  if (p.segmentCount) return Math.min(100, ((p.segmentsDone ?? 0) / p.segmentCount) * 100);
  return 0;
}

/**
 * One import's progress, on the same path as a transcode's: a doorbell through the job at the fetcher's
 * pace (@reelroom/fetch throttles to one report per 500 ms) with bytes and the declared total, and the
 * row at most once a second, so a reload shows where the import is.
 */
export class ImportProgress {
  private lastWrite = 0;

  constructor(
    private readonly ids: { mediaId: string; roomId: string },
    private readonly job: Pick<JobContext, 'reportProgress'>,
    private readonly state: Pick<ImportStateStore, 'setImportProgress'>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  report(p: FetchProgress): void {
    const percent = importPercent(p);
    const totalBytes = p.totalBytes ?? null;
    this.ring({ ...this.ids, percent, bytes: p.bytes, totalBytes });
    if (this.now() - this.lastWrite >= PROGRESS_WRITE_MS) {
      this.lastWrite = this.now();
      this.state
        .setImportProgress(this.ids.mediaId, { percent, bytes: p.bytes, totalBytes })
        .catch((err: unknown) => this.log.debug({ err }, 'import progress not written'));
    }
  }

  /** The row changed (importing -> queued or failed): tell the API to re-read it. */
  stateChanged(): Promise<void> {
    return this.job
      .reportProgress({ ...this.ids, percent: 0, stateChanged: true } satisfies JobProgress)
      .catch((err: unknown) => this.log.debug({ err }, 'progress not delivered'));
  }

  private ring(progress: JobProgress): void {
    this.job.reportProgress(progress).catch((err: unknown) => this.log.debug({ err }, 'progress not delivered'));
  }
}
