import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { MEDIA_BINARIES, type MediaBinaries } from './binaries/media-binaries.js';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from './config/config.js';
import { importFetchPolicy } from '@reelroom/contracts';
import { FfmpegRunner } from './ffmpeg/ffmpeg-runner.js';
import { probeMedia } from './ffmpeg/probe.js';
import { CancelListener } from './jobs/cancel.listener.js';
import { WorkerControlListener } from './jobs/worker-control.listener.js';
import { JobHandlers } from './jobs/job-handlers.js';
import { ImportHandler } from './jobs/import.handler.js';
import { LinkImporter } from './import/link-importer.js';

import { YtDlpResolver, ytDlpVersion } from './import/ytdlp.resolver.js';
import { TranscodeEnqueuer } from './queue/transcode.enqueuer.js';
import { MediaImporter, SafeFetcher } from '@reelroom/fetch';
import { DeathLedger } from './jobs/death-ledger.js';
import { MediaWorker } from './jobs/media.worker.js';
import { RunningJobs } from './jobs/running-jobs.js';
import { TranscodeHandler } from './jobs/transcode.handler.js';
import { EmbeddedSubtitles } from './jobs/embedded-subtitles.js';
import { TranscodeChunkHandler } from './jobs/transcode-chunk.handler.js';
import { ChunkedTranscoder } from './pipeline/chunked-transcode.js';
import { RedisPublishLock } from './redis/redis-publish-lock.js';
import { MediaStateRepository } from './media/media-state.repository.js';
import { LiveHandler } from './live/live.handler.js';
import { LIVE_PROBE, liveProbe } from './live/live-probe.js';
import { LiveStateRepository } from './live/live-state.repository.js';
import { TranscodePipeline } from './pipeline/transcode-pipeline.js';
import { RedisConnections } from './redis/redis-connections.js';
import { RedisPlaylistBell } from './redis/redis-playlist-bell.js';
import { PLAYLIST_BELL } from './llhls/ll-live-output.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';
import { MEDIA_STORAGE, type MediaStorage } from './storage/media-storage.js';
import { OpsServer } from './ops/ops-server.js';
import { ReadinessChecks } from './ops/readiness.js';
import { TranscoderMetrics } from './ops/transcoder-metrics.js';

/**
 * One module: the side effects each behind one provider (RedisConnections, MediaStateRepository, the
 * MEDIA_STORAGE, FfmpegRunner), the pipeline over them, the handler map, and the BullMQ worker on top.
 */
@Module({})
export class TranscoderModule {
  static create(config: TranscoderConfig, logger: Logger, binaries: MediaBinaries): DynamicModule {
    return {
      module: TranscoderModule,
      providers: [
        { provide: TRANSCODER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: MEDIA_BINARIES, useValue: binaries },
        {
          // STORAGE=s3: the bucket, with MEDIA_ROOT as this machine's scratch space for ffmpeg.
          provide: MEDIA_STORAGE,
          useFactory: async (): Promise<MediaStorage> => {
            if (config.storage.kind !== 's3') return new LocalDiskStorage(config.mediaRoot);
            // Loaded only when used: the AWS SDK is a large part of start-up time.
            const [{ S3Storage }, { createS3Client }] = await Promise.all([
              import('./storage/s3.storage.js'),
              import('@reelroom/s3/client'),
            ]);
            return new S3Storage(createS3Client(config.storage), config.storage.bucket, config.mediaRoot);
          },
        },
        { provide: FfmpegRunner, useFactory: () => new FfmpegRunner() },
        {
          provide: TranscodePipeline,
          inject: [MEDIA_STORAGE, FfmpegRunner, MEDIA_BINARIES, LOGGER],
          useFactory: (storage: MediaStorage, runner: FfmpegRunner, found: MediaBinaries, log: Logger) =>
            new TranscodePipeline({
              storage,
              runner,
              probe: probeMedia,
              ffmpegPath: found.ffmpeg.path,
              ffprobePath: found.ffprobe.path,
              logger: log,
            }),
        },
        RedisPublishLock,
        {
          // Chunked encoding (issue 11): the parts any worker encodes, published under a lock in Redis.
          provide: ChunkedTranscoder,
          inject: [MEDIA_STORAGE, FfmpegRunner, MEDIA_BINARIES, RedisPublishLock, LOGGER],
          useFactory: (storage: MediaStorage, runner: FfmpegRunner, found: MediaBinaries, lock: RedisPublishLock, log: Logger) =>
            new ChunkedTranscoder({
              storage,
              runner,
              probe: probeMedia,
              ffmpegPath: found.ffmpeg.path,
              ffprobePath: found.ffprobe.path,
              lock,
              logger: log,
            }),
        },
        {
          // Imports by link (issue 13): @reelroom/fetch under the operator's policy; yt-dlp for pages only
          // when IMPORT_YTDLP is on and the binary answers.
          provide: LinkImporter,
          inject: [MEDIA_STORAGE, LOGGER],
          useFactory: (storage: MediaStorage, log: Logger) => {
            let pages: YtDlpResolver | null = null;
            if (config.import.ytdlp.enabled) {
              const version = ytDlpVersion(config.import.ytdlp.path);
              if (version) pages = new YtDlpResolver({ path: config.import.ytdlp.path });
              log[version ? 'info' : 'warn'](
                { path: config.import.ytdlp.path, version },
                version ? 'yt-dlp enabled for page links' : 'IMPORT_YTDLP is on but yt-dlp does not answer: page links are refused',
              );
            }
            return new LinkImporter(new MediaImporter(new SafeFetcher(importFetchPolicy(config.import))), storage, pages);
          },
        },
        TranscodeEnqueuer,
        ImportHandler,
        RedisConnections,
        MediaStateRepository,
        TranscodeHandler,
        EmbeddedSubtitles,
        TranscodeChunkHandler,
        { provide: LIVE_PROBE, useFactory: () => liveProbe(binaries.ffprobe.path) },
        LiveStateRepository,
        { provide: PLAYLIST_BELL, useClass: RedisPlaylistBell },
        LiveHandler,
        JobHandlers,
        MediaWorker,
        DeathLedger,
        RunningJobs,
        CancelListener,
        WorkerControlListener,
        TranscoderMetrics,
        ReadinessChecks,
        OpsServer,
      ],
    };
  }
}
