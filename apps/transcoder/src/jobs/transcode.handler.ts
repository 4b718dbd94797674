import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { TranscodeJob } from '@reelroom/contracts';
import { ChunkedTranscoder, type ChunkedTranscode } from '../pipeline/chunked-transcode.js';
import type { TranscodeResult } from '../pipeline/transcode-pipeline.js';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { chooseAudioRenditions } from '../ffmpeg/audio-tracks.js';
import { MediaStateRepository, type MediaStateStore } from '../media/media-state.repository.js';
import { TranscodePipeline, type HlsTranscoder } from '../pipeline/transcode-pipeline.js';
import { MEDIA_STORAGE, mediaKeys, type MediaStorage } from '../storage/media-storage.js';
import { decideJobFailure, TRANSCODE_FAILURE_RULES } from './job-failure.js';
import { EmbeddedSubtitles, type SubtitleExtraction } from './embedded-subtitles.js';
import { JobParkedError, PermanentJobError, type ChildJob, type JobContext } from './job-context.js';
import { TranscodeProgress } from './transcode-progress.js';
import { partJobName } from './part-queue.js';
import { TranscoderMetrics } from '../ops/transcoder-metrics.js';

/**
 * Turns <mediaId>/source into <mediaId>/hls/{master.m3u8, <rung>/...} in the media storage (local disk or
 * S3: with S3 the source is downloaded to scratch space, the output published as it is written, and the
 * scratch removed at the end).
 * Idempotent: a ready media is skipped; every attempt starts from an emptied output folder and a failed
 * one removes what it wrote. The output is served while it is written (playable while encoding). Keys
 * come from the media id only, never from the payload, so a forged job cannot point ffmpeg at another file.
 */
@Injectable()
export class TranscodeHandler {
  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MediaStateRepository) private readonly state: MediaStateStore,
    @Inject(TranscodePipeline) private readonly transcoder: HlsTranscoder,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Optional() private readonly metrics?: TranscoderMetrics,
    // Embedded subtitle tracks (issue 12); optional so the specs of the encode path need not fake it.
    @Optional() @Inject(EmbeddedSubtitles) private readonly subtitles?: SubtitleExtraction,
    @Optional() @Inject(ChunkedTranscoder) private readonly chunked?: ChunkedTranscode,
  ) {}

  async handle(data: TranscodeJob, job: JobContext): Promise<void> {
    const log = this.logger.child({ mediaId: data.mediaId, roomId: data.roomId, jobId: job.id });
    // Time-to-first-frame breakdown (bench/time-to-first-frame.mjs reads the `ttff:` debug lines' times).
    log.debug('ttff: job picked up');
    const media = await this.state.find(data.mediaId);
    if (!media) {
      log.info('media no longer exists; nothing to do');
      return;
    }
    if (media.status === 'ready' || media.status === 'failed') {
      log.info({ status: media.status }, 'media already finished; skipping');
      return;
    }
    // A chunked transcode (issue 11) runs this job twice: it plans and parks itself while its chunks are
    // encoded by any worker, then comes back (resumed) to assemble the stream.
    const resumed = job.flow ? await job.flow.resumed() : false;
    if (resumed ? media.status !== 'processing' : !(await this.state.startProcessing(data.mediaId))) return;
    log.info(
      { attempt: job.attemptsMade + 1, of: job.maxAttempts, resumed },
      resumed ? 'assembling chunked transcode' : 'transcode started',
    );
    const progress = new TranscodeProgress({ mediaId: data.mediaId, roomId: data.roomId }, job, this.state, log);
    if (!resumed) await progress.started();
    const keys = mediaKeys(data.mediaId);

    try {
      // Local disk: the stored file itself; S3: downloaded to this machine's scratch space, only by a run that
      // reads the whole source (a single pass, the assembly), and once per run: the scratch is released when
      // the run ends, parked or not, so a chunked transcode that downloaded to decide would download twice.
      let localSource: string | undefined;
      const source = async () => (localSource ??= await this.storage.fetchLocal(keys.source));
      let result: TranscodeResult;
      if (resumed && this.chunked) {
        result = await this.chunked.assemble({
          sourcePath: await source(),
          outKey: keys.hls,
          maxHeight: this.config.maxHeight,
          chunkSec: this.config.chunking.chunkSec,
          firstSegmentSec: this.config.firstSegmentSec,
          limits: this.config.limits,
          threads: this.config.threads,
          niceness: this.config.niceness,
          signal: job.signal,
          log,
        });
      } else {
        const decision =
          job.flow && this.chunked && this.config.chunking.thresholdSec > 0
            ? // In place (S3: a presigned URL, ffprobe reads the header and index with range requests).
              await this.chunked.decide(
                await this.storage.inputFor(keys.source, this.config.limits.probeTimeoutMs / 1000),
                this.config.limits,
                this.config.chunking,
                this.config.firstSegmentSec,
              )
            : undefined;
        if (decision?.spans && job.flow) {
          // Idempotent: whatever an earlier try left is removed before any chunk writes.
          await this.storage.deletePrefix(keys.hls);
          log.info({ chunks: decision.spans.length, chunkSec: this.config.chunking.chunkSec }, 'transcode split into chunks');
          await job.flow.waitForChildren(this.children(data, decision.spans.length, chooseAudioRenditions(decision.info).length));
        }
        result = await this.transcoder.run({
          sourcePath: await source(),
          outKey: keys.hls,
          maxHeight: this.config.maxHeight,
          niceness: this.config.niceness,
          threads: this.config.threads,
          limits: this.config.limits,
          signal: job.signal,
          log,
          watchOutput: this.config.firstSegmentWait === 'watch',
          firstSegmentSec: this.config.firstSegmentSec,
          ...(decision && { info: decision.info }),
          onProgress: (percent) => progress.percent(percent),
          onPlayable: ({ durationSec }) => {
            log.info({ ms: progress.elapsedMs }, 'playable while encoding');
            progress.stateChange(() => this.state.markPlayable(data.mediaId, durationSec));
          },
          onPoster: () => progress.stateChange(() => this.state.setArtwork(data.mediaId, { hasPoster: true })),
        });
      }
      await progress.settled();
      // From the source, after the encode: the rows exist before the room hears the media is ready.
      const subtitleTracks =
        (await this.subtitles?.run({
          mediaId: data.mediaId,
          sourcePath: await source(),
          info: result.info,
          signal: job.signal,
          log,
        })) ?? 0;
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
      this.metrics?.encodeFinished(result.info.durationSec, progress.elapsedMs);
      const finished = {
        ms: progress.elapsedMs,
        kind: result.kind,
        rungs: result.renditions.map((r) => r.name),
        poster: result.poster,
        storyboard: result.storyboard,
        subtitleTracks,
      };
      // The steps logged why; this line makes a media that is ready without its artwork easy to find.
      if (!result.poster || (result.kind === 'video' && !result.storyboard))
        log.warn(finished, 'transcode finished without all its artwork');
      else log.info(finished, 'transcode finished');
    } catch (err) {
      if (err instanceof JobParkedError) throw err;
      await progress.settled();
      const decision = decideJobFailure(err, job, TRANSCODE_FAILURE_RULES);
      switch (decision.kind) {
        case 'cancelled':
          // The API already wrote the outcome (cancelled, or deleted the row): nothing to record, no retry.
          log.info('transcode cancelled');
          // Deleted while we encoded: the API removed the folder, but ffmpeg may have written after
          // that. Whoever stops last cleans up, so no segment outlives its media.
          if (!(await this.state.find(data.mediaId))) await this.storage.deletePrefix(keys.folder);
          throw new PermanentJobError('cancelled');
        case 'handed-back':
          log.info('transcode handed back to the queue: this worker is shutting down');
          await this.state.requeue(data.mediaId);
          throw err;
        case 'rejected':
          log.warn({ reason: decision.reason }, 'media rejected');
          await this.state.markFailed(data.mediaId, decision.reason);
          throw new PermanentJobError(decision.reason);
        case 'retry':
          log.error({ err, attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'transcode failed; it will be retried');
          await this.state.requeue(data.mediaId);
          throw err;
        case 'final':
          log.error({ err, attempt: job.attemptsMade + 1, of: job.maxAttempts }, 'transcode failed on its last try');
          await this.state.markFailed(data.mediaId, decision.reason);
          throw err;
      }
    } finally {
      // S3: the downloaded source and ffmpeg's output leave this machine's disk, whatever happened.
      await this.storage
        .releaseLocal(keys.folder)
        .catch((err: unknown) => log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not remove scratch files'));
    }
  }

  /**
   * The audio first (the master needs it before the stream can play), then the chunks in order: chunk 0 is
   * taken first, so the stream becomes playable as early as possible. With an audio slot the audio parts go
   * on their own queue (part-queue.ts) and run beside chunk 0 instead of before it. Ids carry a
   * run stamp: a retried media gets new children, not the failed ones kept under the old ids.
   */
  private children(data: TranscodeJob, chunks: number, audioTracks: number): ChildJob[] {
    const run = Date.now().toString(36);
    const base = {
      mediaId: data.mediaId,
      roomId: data.roomId,
      chunkSec: this.config.chunking.chunkSec,
      firstSegmentSec: this.config.firstSegmentSec,
      maxHeight: this.config.maxHeight,
      startedAt: Date.now(),
    };
    // One part per audio track (each encoded once for the whole file), then the video chunks.
    const audio = Array.from({ length: audioTracks }, (_, track) => ({
      data: { ...base, part: 'audio' as const, ...(track > 0 && { audioTrack: track }) },
      jobId: `${data.mediaId}-${run}-audio${track > 0 ? `-${track}` : ''}`,
    }));
    const video = Array.from({ length: chunks }, (_, part) => ({ data: { ...base, part }, jobId: `${data.mediaId}-${run}-${part}` }));
    const audioSlot = this.config.audioConcurrency > 0;
    return [...audio, ...video].map((child) => ({ name: partJobName(child.data.part, audioSlot), ...child }));
  }
}
