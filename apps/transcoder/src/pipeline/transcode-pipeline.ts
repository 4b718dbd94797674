import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { FfmpegError, type FfmpegRun } from '../ffmpeg/ffmpeg-runner.js';
import { planHls, tierRenditions, type TierRendition } from '../ffmpeg/hls-plan.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { assertWithinLimits, DEFAULT_LIMITS, formatDuration, type TranscodeLimits } from '../ffmpeg/media-limits.js';
import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import type { ProbeOptions } from '../ffmpeg/probe.js';
import { DEFAULT_FIRST_SEGMENT_SEC, type FirstSegmentSec } from '../ffmpeg/segment-grid.js';
import type { MediaStorage } from '../storage/media-storage.js';
import type { ArtworkStepOptions } from './artwork-step.js';
import { waitForFirstSegments } from './first-segments.js';
import { HlsPublisher } from './hls-publisher.js';
import { mirrorOutput } from './output-mirror.js';
import { writePoster } from './poster.step.js';
import { writeStoryboard } from './storyboard.step.js';

export interface TranscodeRequest {
  /** The local file ffmpeg reads: server-generated, never user-named. */
  sourcePath: string;
  /**
   * Storage key of the served output folder; emptied first, then written progressively:
   * <rung>/{index.m3u8,init.mp4,seg_*.m4s} while ffmpeg runs (index.m3u8 served from ffmpeg's own
   * playlist, FFMPEG_PLAYLIST_NAME, removed at the end), master.m3u8 once every rung has a segment,
   * poster.jpg, storyboard.{jpg,vtt}. Removed again if the transcode fails or is aborted.
   */
  outKey: string;
  /** Top of the ladder as a short-side resolution (default 1080). */
  maxHeight: number;
  limits: TranscodeLimits;
  /** Default 10; ffmpeg runs under `nice -n` when /usr/bin/nice exists. Poster and storyboard run 5 lower. */
  niceness?: number;
  /** 0..100, at most ~2 calls per second. */
  onProgress?: (percent: number) => void;
  /** Once, when master.m3u8 is first written: the stream can be played from the start while encoding goes on. */
  onPlayable?: (info: { durationSec: number }) => void;
  /** Once, when poster.jpg is written (during the encode, after onPlayable). */
  onPoster?: () => void;
  /** Aborting kills ffmpeg (SIGTERM, SIGKILL after 3 s). */
  signal?: AbortSignal;
  /**
   * How often the output is checked for the first segment of every rung (default 100 ms); with
   * `watchOutput` the folders' change notifications wake the check at once and this is the fallback.
   */
  playablePollMs?: number;
  /** Watch the rung folders for the first segments (FIRST_SEGMENT_WAIT=watch); default false: poll only. */
  watchOutput?: boolean;
  /** How often what ffmpeg wrote is published to the store while it runs (default 1000 ms; S3 only). */
  publishEveryMs?: number;
  /** Logger carrying the job's ids (mediaId, jobId); default the pipeline's own. */
  log?: Logger;
  /** The source's probe when the caller already has it (the chunking decision probed it). */
  info?: MediaInfo;
  /** ffmpeg -threads (0 or absent: ffmpeg's choice). */
  threads?: number;
  /** The first segment's length (segment-grid.ts, FIRST_SEGMENT_SEC); default DEFAULT_FIRST_SEGMENT_SEC. */
  firstSegmentSec?: FirstSegmentSec;
}

export interface TranscodeResult {
  info: MediaInfo;
  kind: 'video' | 'audio';
  /** bitrate = measured peak bits/s (the master playlist's BANDWIDTH). Empty for audio-only media. */
  renditions: TierRendition[];
  /** Local path of master.m3u8. */
  masterPlaylist: string;
  /** false: the media is complete without it (the step logged why). */
  poster: boolean;
  storyboard: boolean;
}

/** What the transcode handler needs: one source in, one served HLS folder out. */
export interface HlsTranscoder {
  run(request: TranscodeRequest): Promise<TranscodeResult>;
}

export interface TranscodePipelineDeps {
  storage: MediaStorage;
  runner: FfmpegRun;
  probe: (opts: ProbeOptions) => Promise<MediaInfo>;
  ffmpegPath: string;
  ffprobePath: string;
  logger: Logger;
}

/**
 * probe -> limits -> plan -> one ffmpeg writing EVENT playlists (served with a pinned target duration) -> master as soon
 * as every rung has a segment (playable) -> poster -> VOD playlists and measured master -> storyboard.
 * The steps' I/O goes through the storage; ffmpeg argv comes from the pure builders in ffmpeg/.
 */
export class TranscodePipeline implements HlsTranscoder {
  constructor(private readonly deps: TranscodePipelineDeps) {}

  async run(req: TranscodeRequest): Promise<TranscodeResult> {
    const { storage, runner, ffmpegPath } = this.deps;
    const log = req.log ?? this.deps.logger;
    const sourcePath = resolve(req.sourcePath);
    const limits = req.limits;
    req.signal?.throwIfAborted();

    const info =
      req.info ??
      (await this.deps.probe({
        ffprobePath: this.deps.ffprobePath,
        sourcePath,
        timeoutMs: Math.min(limits.probeTimeoutMs ?? DEFAULT_LIMITS.probeTimeoutMs, limits.timeoutMs),
      }));
    assertWithinLimits(info, limits);
    // Time-to-first-frame breakdown (bench/time-to-first-frame.mjs reads these debug lines' times).
    log.debug({ probed: !req.info }, 'ttff: probe done');

    const plan = planHls({
      info,
      sourcePath,
      outDir: storage.localPath(req.outKey),
      maxHeight: req.maxHeight || 1080,
      threads: req.threads,
      firstSegmentSec: req.firstSegmentSec ?? DEFAULT_FIRST_SEGMENT_SEC,
    });
    const publisher = new HlsPublisher(storage, req.outKey);
    const niceness = req.niceness ?? 10;

    // Idempotent: whatever an earlier attempt left is removed before ffmpeg writes a byte.
    await storage.deletePrefix(req.outKey);
    for (const v of plan.variants) await storage.prepareLocal(publisher.rungKey(v));

    // Poster and storyboard stop with the job, and with a failed encode.
    const artwork = new AbortController();
    const stopArtwork = () => artwork.abort();
    req.signal?.addEventListener('abort', stopArtwork, { once: true });
    const artworkOpts: ArtworkStepOptions = {
      runner,
      storage,
      ffmpegPath,
      outKey: req.outKey,
      niceness: Math.min(19, niceness + 5),
      timeoutMs: limits.artworkTimeoutMs ?? DEFAULT_LIMITS.artworkTimeoutMs,
      signal: artwork.signal,
      log,
    };
    let playableSent = false;
    const announcePlayable = () => {
      if (playableSent) return;
      playableSent = true;
      req.onPlayable?.({ durationSec: info.durationSec });
    };
    let posterTask: Promise<boolean> | undefined;
    const startPoster = () =>
      (posterTask = writePoster({ ...artworkOpts, info, sourcePath }).then((ok) => {
        if (ok) req.onPoster?.();
        return ok;
      }));
    let encoding = true;

    // ffmpeg writes its playlists under a name of its own; the served ones are the publisher's, with the
    // target duration pinned (HlsPublisher.servePlaylists), written before each round that publishes
    // ffmpeg's output to the store (with object storage; on local disk publishing is a no-op).
    const servePlaylists = () => publisher.servePlaylists(plan.variants);
    const mirror = mirrorOutput(storage, req.outKey, req.publishEveryMs ?? 1000, log, servePlaylists);
    let mirrorStopped = false;
    try {
      log.debug('ttff: ffmpeg started');
      const encode = runner.run({
        ffmpegPath,
        args: plan.args,
        timeoutMs: limits.timeoutMs,
        durationSec: info.durationSec,
        niceness,
        onProgress: req.onProgress ? (p) => req.onProgress?.(Math.min(p, 99.9)) : undefined,
        signal: req.signal,
      });
      // Publishing early is an improvement, not a requirement: the full stream is published below. Its
      // failure is handled here, at once: the encode may run for minutes, and a rejection left without a
      // handler that long is an unhandled rejection, which ends the worker process.
      const watch = (async () => {
        const found = await waitForFirstSegments({
          // Until playable, every check serves the playlists first: the first segments are published as
          // soon as ffmpeg lists them, not at the mirror's next round.
          publisher: {
            hasFirstSegment: async (v) => {
              await publisher.servePlaylists([v]);
              return publisher.hasFirstSegment(v);
            },
          },
          variants: plan.variants,
          encoding: () => encoding,
          pollMs: req.playablePollMs ?? 100,
          watchDirs: req.watchOutput !== true ? [] : plan.variants.map((v) => storage.localPath(publisher.rungKey(v))),
          onFirstSegment: (v) => log.debug({ rung: v.name }, 'ttff: first segment written'),
        });
        if (!found) return;
        await publisher.publishEarlyMaster(plan.variants);
        log.debug('ttff: early master published');
        announcePlayable();
        // The poster waits for playability so it never competes with the first segments for the CPU.
        // Not awaited here: the task is kept in posterTask and awaited on every path below (writePoster
        // answers false rather than rejecting; anything else surfaces there).
        void startPoster();
      })().catch((err: unknown) =>
        log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not publish the stream while encoding'),
      );

      try {
        await encode;
      } catch (err) {
        if (err instanceof FfmpegError && err.reason === 'timeout') {
          // Same file, same machine: a retry would be killed again.
          throw new MediaRejectedError(
            `This file took longer than ${formatDuration(limits.timeoutMs / 1000)} to convert, so we stopped. Try a shorter or smaller file.`,
          );
        }
        throw err;
      } finally {
        encoding = false;
        await watch;
      }
      mirrorStopped = true;
      await mirror.stop();

      const finished = await publisher.publishVod(plan.variants);
      announcePlayable();
      // A short clip can finish before the watcher saw its first segments: the poster is still wanted.
      const poster = await (posterTask ?? startPoster());
      const lowest = plan.ladder.at(-1);
      const storyboard = lowest ? await writeStoryboard({ ...artworkOpts, durationSec: info.durationSec, lowest }) : false;
      req.signal?.throwIfAborted();
      req.onProgress?.(100);

      return {
        info,
        kind: info.video ? 'video' : 'audio',
        renditions: tierRenditions(plan.ladder, finished),
        masterPlaylist: storage.localPath(publisher.masterKey),
        poster,
        storyboard,
      };
    } catch (err) {
      artwork.abort();
      if (!mirrorStopped) await mirror.stop(false);
      await posterTask?.catch(() => false);
      await storage.deletePrefix(req.outKey);
      throw err;
    } finally {
      req.signal?.removeEventListener('abort', stopArtwork);
    }
  }
}
