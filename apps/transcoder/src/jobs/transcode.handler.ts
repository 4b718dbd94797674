import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { JobProgress, TranscodeJob } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { MediaStateRepository } from '../media/media-state.repository.js';
import { MediaRejectedError, transcodeToHls, type TranscodeOptions, type TranscodeResult } from '../ffmpeg/transcode-to-hls.js';
import { estimateEtaSec } from './eta.js';
import { JobCancelledError, PermanentJobError, type JobContext } from './job-context.js';

/** The ffmpeg pipeline as a function, so tests can hand the handler a fake. */
export type TranscodeFn = (opts: TranscodeOptions) => Promise<TranscodeResult>;
export const TRANSCODE_FN = Symbol('TRANSCODE_FN');
export const defaultTranscodeFn: TranscodeFn = transcodeToHls;

/** Database writes of progress at most this often; socket progress events go out at the runner's pace. */
const PROGRESS_WRITE_MS = 1000;

/**
 * Turns MEDIA_ROOT/<mediaId>/source into MEDIA_ROOT/<mediaId>/hls/{master.m3u8, <rung>/...}.
 * Idempotent: a ready media is skipped; every attempt starts from an emptied output directory and a
 * failed one removes what it wrote. The output is served while it is written (playable while encoding). Paths come from the media id only, never from
 * the payload, so a forged job cannot point ffmpeg at another file.
 */
@Injectable()
export class TranscodeHandler {
  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly state: MediaStateRepository,
    @Inject(TRANSCODE_FN) private readonly transcode: TranscodeFn,
  ) {}

  async handle(data: TranscodeJob, job: JobContext): Promise<void> {
    const log = this.logger.child({ mediaId: data.mediaId, roomId: data.roomId, jobId: job.id });
    const media = await this.state.find(data.mediaId);
    if (!media) {
      log.info('media no longer exists; nothing to do');
      return;
    }
    if (media.status === 'ready' || media.status === 'failed') {
      log.info({ status: media.status }, 'media already finished; skipping');
      return;
    }
    if (!(await this.state.startProcessing(data.mediaId))) return;
    log.info({ attempt: job.attemptsMade + 1 }, 'transcode started');
    const started: JobProgress = { mediaId: data.mediaId, roomId: data.roomId, percent: 0, stateChanged: true };
    await job.reportProgress(started).catch(() => undefined);

    const dir = join(this.config.mediaRoot, data.mediaId);
    let lastWrite = 0;
    let lastPercent = 0;
    const t0 = Date.now();
    // Mid-job state writes (playable, poster) in order; each one that changed the row rings the API.
    let stateWrites: Promise<unknown> = Promise.resolve();
    const stateChange = (write: () => Promise<boolean>) => {
      stateWrites = stateWrites
        .then(write)
        .then(async (changed) => {
          if (changed) await job.reportProgress({ mediaId: data.mediaId, roomId: data.roomId, percent: lastPercent, stateChanged: true } satisfies JobProgress);
        })
        .catch((err: unknown) => log.warn({ err }, 'could not record a state change'));
    };
    try {
      const result = await this.transcode({
        sourcePath: join(dir, 'source'),
        outDir: join(dir, 'hls'),
        ffmpegPath: this.config.ffmpegPath,
        ffprobePath: this.config.ffprobePath,
        maxHeight: this.config.maxHeight,
        niceness: this.config.niceness,
        signal: job.signal,
        limits: {
          maxDurationSec: this.config.maxDurationSec,
          maxWidth: 4096,
          maxHeight: 4096,
          maxFps: 120,
          maxStreams: 16,
          timeoutMs: this.config.timeoutMs,
        },
        onProgress: (percent) => {
          lastPercent = percent;
          const etaSec = estimateEtaSec(Date.now() - t0, percent);
          const progress: JobProgress = { mediaId: data.mediaId, roomId: data.roomId, percent, ...(etaSec !== undefined && { etaSec }) };
          job.reportProgress(progress).catch(() => undefined);
          if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
            lastWrite = Date.now();
            this.state.setProgress(data.mediaId, percent, etaSec ?? null).catch(() => undefined);
          }
        },
        // Durable state first, then the doorbell: the API re-reads the row on stateChanged.
        onPlayable: () => {
          log.info({ ms: Date.now() - t0 }, 'playable while encoding');
          stateChange(() => this.state.markPlayable(data.mediaId));
        },
        onPoster: () => stateChange(() => this.state.setArtwork(data.mediaId, { hasPoster: true })),
      });
      await stateWrites;
      const top = result.renditions[0];
      await this.state.markReady(data.mediaId, {
        kind: result.kind,
        durationSec: result.info.durationSec,
        width: result.info.video?.width ?? top?.width ?? null,
        height: result.info.video?.height ?? top?.height ?? null,
        renditions: result.renditions,
        hasPoster: result.poster,
        hasStoryboard: result.storyboard,
      });
      log.info({ ms: Date.now() - t0, kind: result.kind, rungs: result.renditions.map((r) => r.name), poster: result.poster, storyboard: result.storyboard }, 'transcode finished');
    } catch (err) {
      await stateWrites;
      if (job.signal.reason instanceof JobCancelledError) {
        // The API already wrote the outcome (cancelled, or deleted the row): nothing to record, no retry.
        log.info('transcode cancelled');
        throw new PermanentJobError('cancelled');
      }
      if (err instanceof MediaRejectedError) {
        log.warn({ reason: err.message }, 'media rejected');
        await this.state.markFailed(data.mediaId, err.message);
        throw new PermanentJobError(err.message);
      }
      const lastAttempt = job.attemptsMade + 1 >= job.maxAttempts;
      log.error({ err, lastAttempt }, 'transcode failed');
      if (lastAttempt) await this.state.markFailed(data.mediaId, 'We could not convert this video. The file may be damaged; try exporting it again.');
      else await this.state.requeue(data.mediaId);
      throw err;
    }
  }
}
