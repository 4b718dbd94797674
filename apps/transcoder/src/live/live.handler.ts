import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LIVE_SEGMENT_SECONDS, MEDIA_PLAYLIST_NAME, type LiveJob } from '@reelroom/contracts';
import { MEDIA_BINARIES, type MediaBinaries } from '../binaries/media-binaries.js';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { FfmpegRunner, type FfmpegRun, type FfmpegRunOptions } from '../ffmpeg/ffmpeg-runner.js';
import { liveEncodeLag, TranscoderMetrics } from '../ops/transcoder-metrics.js';
import { plannedVariants, tierRenditions } from '../ffmpeg/hls-plan.js';
import { buildLiveHlsCommand, chooseLiveLadder } from '../ffmpeg/live-command.js';
import { buildLowLatencyLiveCommand } from '../llhls/ll-live-command.js';
import { LlLiveOutput, PLAYLIST_BELL, type PlaylistBell } from '../llhls/ll-live-output.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { mirrorOutput } from '../pipeline/output-mirror.js';
import { waitForFirstSegments } from '../pipeline/first-segments.js';
import { HlsPublisher } from '../pipeline/hls-publisher.js';
import type { ArtworkStepOptions } from '../pipeline/artwork-step.js';
import { writePoster } from '../pipeline/poster.step.js';
import { writeStoryboard } from '../pipeline/storyboard.step.js';
import { INIT_NAME } from '../ffmpeg/hls-output.js';
import { parseMediaPlaylist } from '../ffmpeg/media-playlist.js';
import type { LadderRung } from '../ffmpeg/ladder.js';
import { joinKey } from '../storage/media-storage.js';
import { MEDIA_STORAGE, mediaKeys, type MediaStorage } from '../storage/media-storage.js';
import type { JobContext } from '../jobs/job-context.js';
import { PermanentJobError } from '../jobs/job-context.js';
import { LiveStateRepository, type LiveStateStore } from './live-state.repository.js';
import { LIVE_PROBE, type LiveProbe } from './live-probe.js';
import { LiveBounds } from './live-bounds.js';
import { SegmentBytes } from './segment-bytes.js';
import { putOnAir } from './on-air.js';
import { forgetSource, goesOnElsewhere, hasEarlierRun, rememberedSource, rememberSource } from './live-resume.js';

/** How often a live's disk use is measured against LIVE_MAX_DISK_MB. */
const BOUNDS_POLL_MS = 1000;
/** Pause before trying again to put a live on air after a storage or database error (it doubles up to the max). */
const ON_AIR_RETRY_MS = 500;
const ON_AIR_MAX_RETRY_MS = 10_000;

/**
 * One live, start to end, on this worker: probe the API's RTMP stream, run the ladder ffmpeg into
 * `<liveId>/hls` (served at /media/<liveId>/... while it grows), tell the API `live` once every rung has a
 * segment, and when the stream ends (the API closes our RTMP reader the moment the publisher leaves; ffmpeg
 * then finishes its segments and exits) turn the same segments into the replay: VOD playlists with
 * ENDLIST, a measured master, and a ready media row with the live's id. No second encode.
 * Standard mode: ffmpeg's own HLS muxer writes the rungs. Low-latency mode (LL-HLS): ffmpeg writes
 * fragmented MP4 per rung to pipes and the packager (llhls/) writes parts, segments and playlists.
 */
@Injectable()
export class LiveHandler {
  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(LiveStateRepository) private readonly state: LiveStateStore,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @Inject(FfmpegRunner) private readonly runner: FfmpegRun,
    @Inject(LIVE_PROBE) private readonly probe: LiveProbe,
    @Inject(MEDIA_BINARIES) private readonly binaries: Pick<MediaBinaries, 'ffmpeg'>,
    @Inject(TranscoderMetrics) private readonly metrics: Pick<TranscoderMetrics, 'liveLagSampled'>,
    @Inject(PLAYLIST_BELL) private readonly bell: PlaylistBell,
  ) {}

  async handle(data: LiveJob, job: JobContext): Promise<void> {
    const log = this.logger.child({ liveId: data.liveId, roomId: data.roomId, jobId: job.id });
    try {
      await this.run(data, job, log);
    } finally {
      // S3: ffmpeg's scratch output leaves this machine's disk (a no-op on local disk).
      await this.storage
        .releaseLocal(mediaKeys(data.liveId).folder)
        .catch((err: unknown) => log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not remove scratch files'));
    }
  }

  private async run(data: LiveJob, job: JobContext, log: Logger): Promise<void> {
    log.info('live job picked up');
    const status = await this.state.status(data.liveId);
    // `live` (or `starting` with files) is a resume: the transcoder that ran this live died or shut down.
    if (status !== 'starting' && status !== 'live') {
      log.info({ status }, 'live is over (ended before we picked it up, or redelivered); nothing to do');
      return;
    }
    const outKey = mediaKeys(data.liveId).hls;
    const startedAt = Date.now();
    let info: MediaInfo;
    try {
      info = (await rememberedSource(this.storage, data.liveId)) ?? (await this.probe(data.ingestUrl, this.config.limits.probeTimeoutMs));
    } catch (err) {
      await this.state.end(data.liveId);
      throw new PermanentJobError(`could not read the live stream: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!info.video) {
      await this.state.end(data.liveId);
      throw new PermanentJobError('the live stream has no video');
    }
    const ladder = chooseLiveLadder(info);
    const variants = plannedVariants(ladder, info.audio !== undefined);
    const publisher = new HlsPublisher(this.storage, outKey);
    const lowLatency = data.mode === 'low';
    // A resume continues the same playlists (numbering, media sequence; a DISCONTINUITY at the gap), so the
    // replay holds both runs; a first run starts from an empty folder. Standard mode: ffmpeg's append_list;
    // low-latency mode: the packager picks up from its stored playlists (LlLiveOutput.recover).
    const resume = await hasEarlierRun(
      this.storage,
      variants.map((v) => publisher.rungKey(v)),
    );
    if (!resume) {
      await this.storage.deletePrefix(outKey);
      await rememberSource(this.storage, data.liveId, info);
    }
    // ffmpeg's own HLS output needs its folders on this machine; the LL packager writes through the store.
    if (!lowLatency) for (const v of variants) await this.storage.prepareLocal(publisher.rungKey(v));
    log.info(
      { rungs: ladder.map((r) => `${r.width}x${r.height}`), mode: data.mode, probeMs: Date.now() - startedAt, resume },
      resume ? 'live transcode resuming' : 'live transcode starting',
    );

    // Bounds (issue 8): the deadline counts from the live's start, so a resumed live keeps it.
    const liveStartedAt = (await this.state.startedAt(data.liveId))?.getTime() ?? Date.now();
    // LL-HLS: ffmpeg writes fragmented MP4 per rung to pipes; the packager writes parts, segments and
    // playlists through the storage itself (no local output to mirror). Made before the bounds, which
    // measure what it wrote.
    const llCommand = lowLatency
      ? buildLowLatencyLiveCommand({ inputUrl: data.ingestUrl, info, ladder, segmentSeconds: LIVE_SEGMENT_SECONDS })
      : undefined;
    const llOutput = llCommand
      ? new LlLiveOutput(
          this.storage,
          outKey,
          llCommand,
          ladder,
          LIVE_SEGMENT_SECONDS,
          this.bell,
          resume ? await LlLiveOutput.recover(this.storage, outKey, llCommand) : undefined,
        )
      : undefined;
    // What the live holds: standard mode, ffmpeg's files in the local output folder (also the scratch that
    // is mirrored to object storage); low latency, what the packager wrote (it writes through the store, and
    // its part files are transient copies of the segments' bytes).
    let measureBytes: () => Promise<number>;
    if (llOutput) measureBytes = () => Promise.resolve(llOutput.mediaBytes);
    else {
      const usage = new SegmentBytes(this.storage.localPath(outKey));
      measureBytes = () => usage.measure();
    }
    const bounds = new LiveBounds({
      deadlineAt: liveStartedAt + this.config.liveMaxDurationSec * 1000,
      maxBytes: this.config.liveMaxDiskBytes,
      measure: measureBytes,
      pollMs: BOUNDS_POLL_MS,
      onReached: (reason, detail) => log.info({ reason, ...detail }, 'live reached a bound; it ends'),
    }).start();

    let encoding = true;
    let lastSpeed: number | undefined;
    let speedLoggedAt = 0;
    let lagSampledAt = 0;
    const encodeStartedAt = Date.now();
    const run: Omit<FfmpegRunOptions, 'args'> = {
      ffmpegPath: this.binaries.ffmpeg.path,
      timeoutMs: this.config.liveMaxDurationSec * 1000,
      // A live competes with nothing of its own: VOD transcodes are niced, a live is not (PeerTube: live 5).
      niceness: 0,
      signal: AbortSignal.any([job.signal, bounds.signal]),
      onSpeed: (speed) => {
        lastSpeed = speed;
        if (Date.now() - speedLoggedAt < 10_000) return;
        speedLoggedAt = Date.now();
        log.info({ speed }, 'live transcode speed (x real time)');
      },
      onOutTime: (seconds) => {
        const now = Date.now();
        if (now - lagSampledAt < 1000) return;
        lagSampledAt = now;
        this.metrics.liveLagSampled(liveEncodeLag(encodeStartedAt, now, seconds));
      },
    };
    let encode: Promise<void>;
    let closeOutput: () => Promise<void>;
    if (llCommand && llOutput) {
      encode = this.runner.run({ ...run, args: llCommand.args, outputPipes: llOutput.pipes });
      closeOutput = () => llOutput.finish();
    } else {
      const args = buildLiveHlsCommand({
        resume,
        inputUrl: data.ingestUrl,
        info,
        ladder,
        workDir: this.storage.localPath(outKey),
        segmentSeconds: LIVE_SEGMENT_SECONDS,
      });
      encode = this.runner.run({ ...run, args });
      // With object storage, segments reach the store as they are cut (a no-op on local disk).
      const mirror = mirrorOutput(this.storage, outKey, 500, log);
      closeOutput = () => mirror.stop();
    }
    // putOnAir catches its steps' errors; the catch keeps `await watch` below from ever throwing.
    const watch = putOnAir(
      {
        firstSegments: () => waitForFirstSegments({ publisher, variants, encoding: () => encoding, pollMs: 100 }),
        publishMaster: () => publisher.publishEarlyMaster(variants),
        markLive: async () => {
          if (!(await this.state.markLive(data.liveId))) return false;
          log.info({ msSinceJobStart: Date.now() - startedAt }, 'live is playable');
          return true;
        },
        announce: () => job.reportProgress({ liveId: data.liveId, roomId: data.roomId, stateChanged: true }),
      },
      {
        encoding: () => encoding,
        retryMs: ON_AIR_RETRY_MS,
        maxRetryMs: ON_AIR_MAX_RETRY_MS,
        onRetry: (err) =>
          log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not put the live on air yet; trying again'),
      },
    ).catch((err: unknown) => log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'could not put the live on air'));

    let encodeError: unknown;
    try {
      await encode;
    } catch (err) {
      // The stream's end is ffmpeg's end too: an error here (input cut, watchdog) still leaves good segments.
      encodeError = err;
    } finally {
      bounds.stop();
      encoding = false;
      await watch;
      await closeOutput().catch((err: unknown) =>
        log.warn({ reason: err instanceof Error ? err.message : String(err) }, "could not publish the live's end"),
      );
    }
    log.info({ lastSpeed, encodeError: encodeError instanceof Error ? encodeError.message : undefined }, 'live transcode ended');
    if (goesOnElsewhere(job.signal)) throw encodeError instanceof Error ? encodeError : new Error('live job handed over');
    // The API normally ended the live already (publisher gone); this covers a stream that died on its own.
    // Ended on a bound: the reason goes to the row, and the API hangs up on the publisher when it hears.
    if (await this.state.end(data.liveId, bounds.reason))
      await job.reportProgress({ liveId: data.liveId, roomId: data.roomId, stateChanged: true });
    if (job.signal.aborted) throw encodeError instanceof Error ? encodeError : new Error('live job stopped');

    let finished: Awaited<ReturnType<HlsPublisher['publishVod']>>;
    try {
      finished = await publisher.publishVod(variants);
    } catch (err) {
      // Nothing usable was written (the publisher left within the first segment): no replay.
      log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'live left no replay');
      await this.storage.deletePrefix(mediaKeys(data.liveId).folder);
      return;
    }
    const top = ladder[0];
    const artwork: ArtworkStepOptions = {
      runner: this.runner,
      storage: this.storage,
      ffmpegPath: this.binaries.ffmpeg.path,
      outKey,
      niceness: Math.min(19, this.config.niceness + 5),
      timeoutMs: this.config.limits.artworkTimeoutMs,
      signal: job.signal,
      log,
    };
    const durationSec = Math.max(...finished.map((v) => v.segments.reduce((t, s) => t + s.durationSec, 0)));
    const sizeBytes = finished.reduce((t, v) => t + v.segments.reduce((b, s) => b + s.bytes, 0), 0);
    // Poster and storyboard as for an upload: a replay is ready without them if they cannot be drawn.
    const hasPoster = await this.poster(artwork, top);
    const hasStoryboard = await writeStoryboard({ ...artwork, durationSec, lowest: ladder[ladder.length - 1] });
    await this.state.saveReplay(data.liveId, data.roomId, {
      hasStoryboard,
      durationSec,
      width: top.width,
      height: top.height,
      renditions: tierRenditions(ladder, finished),
      hasPoster,
      sizeBytes,
    });
    await forgetSource(this.storage, data.liveId);
    log.info({ durationSec, sizeBytes }, 'live replay ready');
  }

  /**
   * The poster step reads one plain MP4 file: the top rung's init segment followed by one of its fMP4
   * segments (about 10 % in) is exactly that, so it is written as a temp file next to the output.
   */
  private async poster(artwork: ArtworkStepOptions, top: LadderRung): Promise<boolean> {
    const rung = joinKey(artwork.outKey, top.name);
    const sourceKey = joinKey(artwork.outKey, '.poster-source.mp4');
    try {
      const playlist = parseMediaPlaylist(await this.storage.readText(joinKey(rung, MEDIA_PLAYLIST_NAME)));
      const pick = playlist.segments[Math.floor(playlist.segments.length * 0.1)];
      if (!pick) return false;
      const bytes = Buffer.concat([await this.storage.read(joinKey(rung, INIT_NAME)), await this.storage.read(joinKey(rung, pick.uri))]);
      await this.storage.write(sourceKey, bytes);
      const info: MediaInfo = {
        durationSec: pick.durationSec,
        formatName: 'mov',
        streamCount: 1,
        video: {
          index: 0,
          codec: 'h264',
          width: top.width,
          height: top.height,
          fps: top.fps,
          frameRate: String(top.fps),
          pixFmt: 'yuv420p',
          rotation: 0,
        },
      };
      return await writePoster({ ...artwork, info, sourcePath: await this.storage.fetchLocal(sourceKey) });
    } catch (err) {
      artwork.log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'no poster for the replay');
      return false;
    } finally {
      await this.storage.delete(sourceKey).catch(() => undefined);
    }
  }
}
