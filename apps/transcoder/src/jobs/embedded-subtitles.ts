import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { MEDIA_BINARIES, type MediaBinaries } from '../binaries/media-binaries.js';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { FfmpegRunner, type FfmpegRun } from '../ffmpeg/ffmpeg-runner.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { DEFAULT_LIMITS } from '../ffmpeg/media-limits.js';
import { MediaStateRepository, type EmbeddedSubtitleRows } from '../media/media-state.repository.js';
import { extractSubtitles } from '../pipeline/subtitles.step.js';
import { MEDIA_STORAGE, type MediaStorage } from '../storage/media-storage.js';

export interface SubtitleExtractionRequest {
  mediaId: string;
  sourcePath: string;
  /** The probe of the transcode that just finished: its subtitle streams are the ones extracted. */
  info: MediaInfo;
  signal?: AbortSignal;
  log: Logger;
}

/** What the transcode handler asks for after the HLS output is complete (faked in its spec). */
export interface SubtitleExtraction {
  /** Extracts and records the media's embedded text subtitles; returns how many tracks it kept. */
  run(req: SubtitleExtractionRequest): Promise<number>;
}

/** The subtitles step (pipeline/subtitles.step.ts) with its ffmpeg, storage and rows. */
@Injectable()
export class EmbeddedSubtitles implements SubtitleExtraction {
  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(FfmpegRunner) private readonly runner: FfmpegRun,
    @Inject(MEDIA_BINARIES) private readonly binaries: MediaBinaries,
    @Inject(MediaStateRepository) private readonly rows: EmbeddedSubtitleRows,
  ) {}

  async run(req: SubtitleExtractionRequest): Promise<number> {
    const tracks = await extractSubtitles({
      runner: this.runner,
      storage: this.storage,
      ffmpegPath: this.binaries.ffmpeg.path,
      mediaId: req.mediaId,
      sourcePath: req.sourcePath,
      info: req.info,
      // A side step like the poster: bounded by the same limit, niced like it.
      timeoutMs: this.config.limits.artworkTimeoutMs ?? DEFAULT_LIMITS.artworkTimeoutMs,
      niceness: Math.min(19, this.config.niceness + 5),
      signal: req.signal,
      log: req.log,
    });
    await this.rows.replaceEmbeddedSubtitles(req.mediaId, tracks);
    return tracks.length;
  }
}
