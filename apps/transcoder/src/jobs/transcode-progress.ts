import type { Logger } from 'pino';
import type { JobProgress } from '@reelroom/contracts';
import type { MediaStateStore } from '../media/media-state.repository.js';
import { estimateEtaSec } from './eta.js';
import type { JobContext } from './job-context.js';

/** Database writes of progress at most this often; socket progress events go out at the runner's pace. */
export const PROGRESS_WRITE_MS = 1000;

/**
 * One transcode's progress reports: percent and ETA to the API through the job (a doorbell, each at the
 * runner's pace) and to the row at most once a second; mid-job state changes (playable, poster) written
 * in order, each ringing the API only after its write, and only if it changed the row (the API re-reads
 * the row on stateChanged).
 */
export class TranscodeProgress {
  private lastWrite = 0;
  private lastPercent = 0;
  private readonly startedAt = Date.now();
  private stateWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ids: { mediaId: string; roomId: string },
    private readonly job: Pick<JobContext, 'reportProgress'>,
    private readonly state: Pick<MediaStateStore, 'setProgress'>,
    private readonly log: Logger,
  ) {}

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** The row is now processing: tell the API to re-read it. */
  async started(): Promise<void> {
    await this.ring({ ...this.ids, percent: 0, stateChanged: true });
  }

  /** `etaSec`: the caller's own estimate (a chunk knows the whole media's pace); default this job's pace. */
  percent(percent: number, etaSec = estimateEtaSec(this.elapsedMs, percent)): void {
    this.lastPercent = percent;
    // Progress is a doorbell: a lost one is replaced by the next within a second.
    void this.ring({ ...this.ids, percent, ...(etaSec !== undefined && { etaSec }) });
    if (Date.now() - this.lastWrite >= PROGRESS_WRITE_MS) {
      this.lastWrite = Date.now();
      this.state
        .setProgress(this.ids.mediaId, percent, etaSec ?? null)
        .catch((err: unknown) => this.log.debug({ err }, 'progress not written'));
    }
  }

  /** Durable state first, then the doorbell. */
  stateChange(write: () => Promise<boolean>): void {
    this.stateWrites = this.stateWrites
      .then(write)
      .then(async (changed) => {
        if (changed) await this.job.reportProgress({ ...this.ids, percent: this.lastPercent, stateChanged: true } satisfies JobProgress);
      })
      .catch((err: unknown) => this.log.warn({ err }, 'could not record a state change'));
  }

  /** Resolves once every state change so far is written. */
  settled(): Promise<unknown> {
    return this.stateWrites;
  }

  private ring(progress: JobProgress): Promise<void> {
    return this.job.reportProgress(progress).catch((err: unknown) => this.log.debug({ err }, 'progress not delivered'));
  }
}
