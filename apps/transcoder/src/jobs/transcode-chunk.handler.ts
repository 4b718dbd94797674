import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { TranscodeChunkJob } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { MediaStateRepository, type MediaStateStore } from '../media/media-state.repository.js';
import { ChunkedTranscoder, type ChunkedTranscode } from '../pipeline/chunked-transcode.js';
import { MEDIA_STORAGE, mediaKeys, type MediaStorage } from '../storage/media-storage.js';
import { estimateEtaSec } from './eta.js';
import { decideJobFailure, TRANSCODE_FAILURE_RULES } from './job-failure.js';
import { PermanentJobError, type JobContext } from './job-context.js';
import { TranscodeProgress } from './transcode-progress.js';

/**
 * One part of a chunked transcode (issue 11): a video chunk or the whole file's audio, taken by any free
 * worker. Idempotent (same files, same names on a redo). A part that finds its media no longer processing
 * does nothing, and one that ends after its media was cancelled, failed or deleted removes what it wrote,
 * so no chunk output outlives its media. A rejected source fails the media once (the state guard) with
 * the reason; a crash costs only this part, which is retried on any worker.
 */
@Injectable()
export class TranscodeChunkHandler {
  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MediaStateRepository) private readonly state: MediaStateStore,
    @Inject(ChunkedTranscoder) private readonly chunked: ChunkedTranscode,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
  ) {}

  async handle(data: TranscodeChunkJob, job: JobContext): Promise<void> {
    const log = this.logger.child({ mediaId: data.mediaId, roomId: data.roomId, jobId: job.id, part: data.part });
    log.debug('ttff: job picked up');
    const media = await this.state.find(data.mediaId);
    if (media?.status !== 'processing') {
      log.info({ status: media?.status ?? 'deleted' }, 'media not processing; chunk skipped');
      return;
    }
    const keys = mediaKeys(data.mediaId);
    const progress = new TranscodeProgress({ mediaId: data.mediaId, roomId: data.roomId }, job, this.state, log);
    log.info({ attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'chunk started');
    const started = Date.now();
    // This part's own scratch space (S3; local disk has none): a part of the same media on this host, or its
    // parent, never publishes or removes this one's files. Named after the job: a retry here starts clean.
    const workspace = this.storage.workspace(workspaceName(job.id));
    try {
      await workspace.releaseLocal(keys.folder);
      await this.chunked.encodePart({
        storage: workspace,
        // Local disk: the stored file itself. S3: a presigned URL that ffmpeg reads with range requests, valid
        // for the probe and the encode's own limits: a chunk fetches its stretch of the source, not the whole
        // file (bench/s3-chunk-source.mjs measures both ways).
        sourcePath: await workspace.inputFor(keys.source, (this.config.limits.probeTimeoutMs + this.config.limits.timeoutMs) / 1000),
        outKey: keys.hls,
        part: data.part,
        audioTrack: data.audioTrack,
        maxHeight: data.maxHeight,
        chunkSec: data.chunkSec,
        firstSegmentSec: data.firstSegmentSec,
        limits: this.config.limits,
        threads: this.config.threads,
        niceness: this.config.niceness,
        signal: job.signal,
        log,
        watchOutput: this.config.firstSegmentWait === 'watch',
        // The media's progress: how far the stream reaches (chunks are taken in order), with the ETA at the
        // pace since the parent started. The audio is a small share and reports nothing.
        onProgress:
          data.part === 'audio'
            ? undefined
            : (atSec, durationSec) => {
                const percent = Math.min(99.9, (100 * atSec) / Math.max(durationSec, 1));
                progress.percent(percent, estimateEtaSec(Date.now() - data.startedAt, percent));
              },
        onPlayable: (durationSec) => {
          log.info({ ms: Date.now() - data.startedAt }, 'playable while encoding');
          progress.stateChange(() => this.state.markPlayable(data.mediaId, durationSec));
        },
      });
      await progress.settled();
      log.info({ ms: Date.now() - started }, 'chunk finished');
      await this.removeIfAbandoned(data.mediaId, keys);
    } catch (err) {
      await progress.settled();
      const decision = decideJobFailure(err, job, TRANSCODE_FAILURE_RULES);
      switch (decision.kind) {
        case 'cancelled':
          log.info('chunk cancelled');
          await this.removeIfAbandoned(data.mediaId, keys);
          throw new PermanentJobError('cancelled');
        case 'handed-back':
          log.info('chunk handed back to the queue: this worker is shutting down');
          throw err;
        case 'rejected':
          log.warn({ reason: decision.reason }, 'media rejected');
          await this.state.markFailed(data.mediaId, decision.reason);
          await this.storage.deletePrefix(keys.hls);
          throw new PermanentJobError(decision.reason);
        case 'retry':
          log.error({ err, attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'chunk failed; it will be retried');
          throw err;
        case 'final':
          log.error({ err, attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'chunk failed on its last try');
          await this.state.markFailed(data.mediaId, decision.reason);
          await this.storage.deletePrefix(keys.hls);
          throw err;
      }
    } finally {
      await workspace
        .releaseLocal(keys.folder)
        .catch((err: unknown) => log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not remove scratch files'));
    }
  }

  /** The media was deleted, cancelled or failed while this part ran: what it wrote goes too. */
  private async removeIfAbandoned(mediaId: string, keys: ReturnType<typeof mediaKeys>): Promise<void> {
    const now = await this.state.find(mediaId);
    if (!now) await this.storage.deletePrefix(keys.folder);
    else if (now.status !== 'processing') await this.storage.deletePrefix(keys.hls);
  }
}

/** A job id (`<mediaId>-<run>-<part>`) as a folder name: anything else becomes `_`. */
function workspaceName(jobId: string): string {
  return `chunk-${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
