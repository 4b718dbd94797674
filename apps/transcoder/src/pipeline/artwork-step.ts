import type { Logger } from 'pino';
import { FfmpegError, type FfmpegRun } from '../ffmpeg/ffmpeg-runner.js';
import type { MediaStorage } from '../storage/media-storage.js';

/** What the poster and storyboard steps share: where to write, how to run ffmpeg, when to stop. */
export interface ArtworkStepOptions {
  runner: FfmpegRun;
  storage: MediaStorage;
  ffmpegPath: string;
  /** Key of the served output folder (`<mediaId>/hls`). */
  outKey: string;
  niceness: number;
  /** Each ffmpeg run's wall-clock limit. */
  timeoutMs: number;
  /** Aborted when the job is cancelled or the encode failed: the step stops, and that is not a failure. */
  signal: AbortSignal;
  /** Carries mediaId and jobId. */
  log: Logger;
}

/** A one-line reason for the logs: ffmpeg's own last line when ffmpeg failed. */
export function failureReason(err: unknown): string {
  if (err instanceof FfmpegError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Removes a temp file a step may have left; a failure to do so is logged, never thrown. */
export async function removeTemp(opts: Pick<ArtworkStepOptions, 'storage' | 'log'>, key: string, step: string): Promise<void> {
  await opts.storage
    .delete(key)
    .catch((err: unknown) => opts.log.warn({ step, key, reason: failureReason(err) }, 'could not remove a temp file'));
}
