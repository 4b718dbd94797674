import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { JobProgress, TranscodeJob } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { MediaStateRepository } from '../media/media-state.repository.js';
import { MediaRejectedError, transcodeToHls, type TranscodeOptions, type TranscodeResult } from '../ffmpeg/transcode-to-hls.js';
import { PermanentJobError, type JobContext } from './job-context.js';

/** The ffmpeg pipeline as a function, so tests can hand the handler a fake. */
export type TranscodeFn = (opts: TranscodeOptions) => Promise<TranscodeResult>;
export const TRANSCODE_FN = Symbol('TRANSCODE_FN');
export const defaultTranscodeFn: TranscodeFn = transcodeToHls;

/** Database writes of progress at most this often; socket progress events go out at the runner's pace. */
const PROGRESS_WRITE_MS = 1000;

/**
 * Turns MEDIA_ROOT/<mediaId>/source into MEDIA_ROOT/<mediaId>/hls/{master.m3u8, <rung>/...}.
 * Idempotent: a ready media is skipped; the output is written to a temp dir and renamed, so a killed
 * attempt leaves nothing that a retry would trip over. Paths come from the media id only, never from
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
    const t0 = Date.now();
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
          const progress: JobProgress = { mediaId: data.mediaId, roomId: data.roomId, percent };
          job.reportProgress(progress).catch(() => undefined);
          if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
            lastWrite = Date.now();
            this.state.setProgress(data.mediaId, percent).catch(() => undefined);
          }
        },
      });
      const top = result.renditions[0];
      await this.state.markReady(data.mediaId, {
        durationSec: result.info.durationSec,
        width: result.info.video?.width ?? top?.width ?? 0,
        height: result.info.video?.height ?? top?.height ?? 0,
        renditions: result.renditions,
      });
      log.info({ ms: Date.now() - t0, rungs: result.renditions.map((r) => r.name) }, 'transcode finished');
    } catch (err) {
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
