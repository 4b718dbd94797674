import { resolve } from 'node:path';
import type { Logger } from 'pino';
import {
  CHUNK_DONE_NAME,
  CHUNK_STAGE_ROOT,
  chunkSpans,
  planChunks,
  publishablePrefix,
  segmentCount,
  stitchPlaylists,
  type ChunkSettings,
  type ChunkSpan,
} from '../ffmpeg/chunking.js';
import { FfmpegError, type FfmpegRun } from '../ffmpeg/ffmpeg-runner.js';
import { MEDIA_PLAYLIST_NAME } from '@reelroom/contracts';
import { INIT_NAME } from '../ffmpeg/hls-output.js';
import { planChunkedHls, tierRenditions, type ChunkedHlsPlan, type PlannedVariant } from '../ffmpeg/hls-plan.js';
import { storageUrl } from '../ffmpeg/hardened-input.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { parseMediaPlaylist } from '../ffmpeg/media-playlist.js';
import { assertWithinLimits, DEFAULT_LIMITS, formatDuration, type TranscodeLimits } from '../ffmpeg/media-limits.js';
import { MediaRejectedError } from '../ffmpeg/media-rejected.error.js';
import type { ProbeOptions } from '../ffmpeg/probe.js';
import type { FirstSegmentSec } from '../ffmpeg/segment-grid.js';
import { joinKey, type MediaStorage } from '../storage/media-storage.js';
import type { ArtworkStepOptions } from './artwork-step.js';
import { OutputWatch } from './first-segments.js';
import { HlsPublisher } from './hls-publisher.js';
import { writePoster } from './poster.step.js';
import type { PublishLock } from './publish-lock.js';
import { writeStoryboard } from './storyboard.step.js';
import type { TranscodeResult } from './transcode-pipeline.js';

export interface ChunkedTranscodeDeps {
  storage: MediaStorage;
  runner: FfmpegRun;
  probe: (opts: ProbeOptions) => Promise<MediaInfo>;
  ffmpegPath: string;
  ffprobePath: string;
  lock: PublishLock;
  logger: Logger;
}

/** What every step of one chunked transcode shares; every worker derives the same plan from it. */
export interface ChunkedJob {
  /** The source: a path on this machine, or (a chunk on S3) a URL the storage signed (MediaStorage.inputFor). */
  sourcePath: string;
  /** `<mediaId>/hls`: the served folder, as for a single pass. */
  outKey: string;
  maxHeight: number;
  chunkSec: number;
  /** The first segment's length (segment-grid.ts): the parent's FIRST_SEGMENT_SEC, carried by every part. */
  firstSegmentSec: FirstSegmentSec;
  limits: TranscodeLimits;
  threads?: number;
  niceness?: number;
  signal?: AbortSignal;
  log?: Logger;
}

export interface ChunkPartRequest extends ChunkedJob {
  /**
   * Where this part's ffmpeg works: its job's workspace (MediaStorage.workspace), so two parts on one host
   * never publish or release each other's scratch files. Default: the transcoder's storage.
   */
  storage?: MediaStorage;
  /** `audio`: the whole file's audio rendition of track `audioTrack`; a number: that video chunk. */
  part: 'audio' | number;
  /** With part `audio`: which audio rendition (0-based, default 0); each track is its own part (issue 12). */
  audioTrack?: number;
  /** Where in the source this part's encode is (seconds), and the source's duration. */
  onProgress?: (atSec: number, durationSec: number) => void;
  /** Once, when this part's publication wrote the master playlist: the stream is playable. */
  onPlayable?: (durationSec: number) => void;
  /** How often the output is republished while the part encodes once the stream is playable (default 500 ms; before: at most 100 ms). */
  publishPollMs?: number;
  /**
   * FIRST_SEGMENT_WAIT=watch (default false): until the stream is playable, a change in the folders this part writes (a first segment
   * or playlist renamed into place) republishes at once instead of at the next poll (issue 11).
   */
  watchOutput?: boolean;
}

export interface ChunkPartResult {
  /** The master playlist was written by this part: the stream became playable. */
  playable: boolean;
  durationSec: number;
}

/** The decision made when a transcode starts: chunk it (spans) or keep the single pass (no spans). */
export interface ChunkDecision {
  info: MediaInfo;
  spans?: ChunkSpan[];
}

/** What the transcode handlers need from chunked encoding (faked in their specs). */
export interface ChunkedTranscode {
  decide(sourcePath: string, limits: TranscodeLimits, settings: ChunkSettings, firstSegmentSec: FirstSegmentSec): Promise<ChunkDecision>;
  encodePart(req: ChunkPartRequest): Promise<ChunkPartResult>;
  assemble(req: ChunkedJob): Promise<TranscodeResult>;
}

/**
 * Chunked encoding (issue 11), the steps any worker runs: decide, encode one part (a video chunk or the
 * audio), publish what is contiguous, and assemble the final stream once every part is done.
 * Output layout is the single pass one (<rung>/index.m3u8, init.mp4, seg_%05d.m4s; audio/...), plus
 * `parts/<n>/<rung>/{index.m3u8,init.mp4}` and `parts/<n>/done` while chunks are encoded: removed at the end.
 */
export class ChunkedTranscoder implements ChunkedTranscode {
  constructor(private readonly deps: ChunkedTranscodeDeps) {}

  /** Probes and checks the limits; chunks when the source is video and long enough. */
  async decide(
    sourcePath: string,
    limits: TranscodeLimits,
    settings: ChunkSettings,
    firstSegmentSec: FirstSegmentSec,
  ): Promise<ChunkDecision> {
    const info = await this.probe(sourceInput(sourcePath), limits);
    if (!info.video) return { info };
    const spans = planChunks(info.durationSec, settings, firstSegmentSec);
    return spans ? { info, spans } : { info };
  }

  /** Encodes one part, publishing the stream as it grows; idempotent (a redo overwrites the same files). */
  async encodePart(req: ChunkPartRequest): Promise<ChunkPartResult> {
    const { runner, ffmpegPath } = this.deps;
    const storage = req.storage ?? this.deps.storage;
    const { info, plan, spans } = await this.plan(req, storage);
    req.log?.debug('ttff: probe done');
    const out = req.outKey;
    let args: string[];
    let span: { startSec: number; endSec: number };
    if (req.part === 'audio') {
      const track = plan.audioTracks[req.audioTrack ?? 0];
      if (!track) throw new Error(`this source has no audio track ${req.audioTrack ?? 0} to encode (${plan.audioTracks.length} tracks)`);
      args = plan.audioArgs(req.audioTrack ?? 0);
      span = { startSec: 0, endSec: info.durationSec };
      await storage.prepareLocal(joinKey(out, track.name));
    } else {
      const chunk = spans[req.part];
      if (!chunk) throw new Error(`chunk ${req.part} is not in the plan (${spans.length} chunks)`);
      const stage = joinKey(out, plan.stageOf(chunk));
      // A redo starts from an empty stage: the playlists a killed try left would list its partial work.
      await storage.deletePrefix(stage);
      for (const v of plan.variants.filter((x) => x.kind === 'video')) {
        await storage.prepareLocal(joinKey(stage, v.name));
        await storage.prepareLocal(joinKey(out, v.name));
      }
      args = plan.chunkArgs(chunk);
      span = { startSec: chunk.startSec, endSec: chunk.endSec ?? info.durationSec };
    }
    let playable = false;
    let encoding = true;
    // What ffmpeg wrote goes into the store first (S3: uploaded from this part's scratch, segments before the
    // playlists that list them; local disk: nothing to do), then the served playlists are stitched from it.
    const republish = async () => {
      await storage.publishLocal(out);
      if (!(await this.publish(out, plan, spans))) return;
      playable = true;
      req.log?.debug('ttff: early master published');
      req.onPlayable?.(info.durationSec);
    };
    // Until the master exists (written by this part or another), a change in the chunk's stage folders (its
    // playlists and init segments) cuts the wait short: the first publication decides the time to first
    // frame. The audio part is not watched: it writes hundreds of segments in seconds, and its first one
    // is there long before the first video segment, whose chunk publishes then.
    const watchDirs =
      req.watchOutput !== true || req.part === 'audio'
        ? []
        : plan.variants
            .filter((v) => v.kind === 'video')
            .map((v) => storage.localPath(joinKey(out, plan.stageOf({ index: Number(req.part) }), v.name)));
    const early = new OutputWatch(watchDirs);
    const masterKey = new HlsPublisher(storage, out).masterKey;
    // Until then the poll is short too (FIRST_PUBLISH_POLL_MS): the 500 ms between rounds cost 250 ms of
    // the time to first frame on average, more than a round of stitching costs.
    let published = false;
    const poll = (async () => {
      while (encoding) {
        if (!published && (playable || (await storage.size(masterKey)) !== undefined)) {
          published = true;
          early.close();
        }
        await early.wait(published ? (req.publishPollMs ?? 500) : Math.min(FIRST_PUBLISH_POLL_MS, req.publishPollMs ?? 500));
        if (encoding) await republish();
      }
    })().catch((err: unknown) => req.log?.warn({ err }, 'could not publish the stream while encoding'));

    req.log?.debug('ttff: ffmpeg started');
    try {
      await runner.run({
        ffmpegPath,
        args,
        timeoutMs: req.limits.timeoutMs,
        // -copyts: ffmpeg's out_time is source time, so progress is measured against the whole file.
        durationSec: info.durationSec,
        niceness: req.niceness ?? 10,
        onProgress: req.onProgress
          ? (p) => req.onProgress?.(Math.min(span.endSec, Math.max(span.startSec, (p / 100) * info.durationSec)), info.durationSec)
          : undefined,
        signal: req.signal,
      });
    } catch (err) {
      if (err instanceof FfmpegError && err.reason === 'timeout')
        throw new MediaRejectedError(
          `This file took longer than ${formatDuration(req.limits.timeoutMs / 1000)} to convert, so we stopped. Try a shorter or smaller file.`,
        );
      throw err;
    } finally {
      encoding = false;
      early.close();
      await poll;
    }
    // Every file of the part is stored before it is marked done: a done chunk is published whole.
    await storage.publishLocal(out);
    if (req.part !== 'audio') await storage.write(joinKey(out, plan.stageOf({ index: req.part }), CHUNK_DONE_NAME), 'done\n');
    await republish();
    req.onProgress?.(span.endSec, info.durationSec);
    return { playable, durationSec: info.durationSec };
  }

  /**
   * Once every part is done: the stitched playlists made VOD, the measured master and I-frame playlists
   * (HlsPublisher, as for a single pass), the poster and storyboard, then the stage folders removed.
   */
  async assemble(req: ChunkedJob): Promise<TranscodeResult> {
    const { storage, ffmpegPath } = this.deps;
    const log = req.log ?? this.deps.logger;
    const { info, plan, spans } = await this.plan(req, storage);
    const out = req.outKey;
    for (const span of spans) {
      if ((await storage.size(joinKey(out, plan.stageOf(span), CHUNK_DONE_NAME))) === undefined)
        throw new Error(`chunk ${span.index} of ${out} is not done`);
    }
    await this.publish(out, plan, spans);
    const publisher = new HlsPublisher(storage, out);
    const finished = await publisher.publishVod(plan.variants);
    await storage.deletePrefix(joinKey(out, CHUNK_STAGE_ROOT));
    const artworkOpts: ArtworkStepOptions = {
      runner: this.deps.runner,
      storage,
      ffmpegPath,
      outKey: out,
      niceness: Math.min(19, (req.niceness ?? 10) + 5),
      timeoutMs: req.limits.artworkTimeoutMs ?? DEFAULT_LIMITS.artworkTimeoutMs,
      signal: req.signal ?? new AbortController().signal,
      log,
    };
    // The artwork's ffmpeg writes into the output folder on this machine (S3: a scratch folder this parent
    // has not made yet; ffmpeg creates no folders).
    await storage.prepareLocal(out);
    const poster = await writePoster({ ...artworkOpts, info, sourcePath: sourceInput(req.sourcePath) });
    const lowest = plan.ladder.at(-1);
    // The storyboard's ffmpeg reads the lowest rung from this machine; with S3 the chunks were encoded
    // elsewhere. As for the storyboard itself, a failure here leaves the media ready without one.
    const local =
      lowest !== undefined &&
      (await fetchRungLocal(storage, joinKey(out, lowest.name)).then(
        () => true,
        (err: unknown) => {
          log.warn(
            { step: 'storyboard', reason: err instanceof Error ? err.message : String(err) },
            'no storyboard: the lowest rung could not be fetched',
          );
          return false;
        },
      ));
    const storyboard = lowest && local ? await writeStoryboard({ ...artworkOpts, durationSec: info.durationSec, lowest }) : false;
    req.signal?.throwIfAborted();
    return {
      info,
      kind: 'video',
      renditions: tierRenditions(plan.ladder, finished),
      masterPlaylist: storage.localPath(publisher.masterKey),
      poster,
      storyboard,
    };
  }

  /**
   * Under the output's lock: every video rung's playlist rewritten from the chunks finished in a row from
   * the first, plus the partial playlist of the chunk after them (its listed segments are complete files:
   * temp_file), never shorter than what is served; the init segment copied from the first chunk that has
   * one (every chunk writes the same bytes); the master written once every variant has its first segment.
   * True when this call wrote the master (the stream just became playable).
   */
  private async publish(out: string, plan: ChunkedHlsPlan, spans: readonly ChunkSpan[]): Promise<boolean> {
    const { storage } = this.deps;
    return this.deps.lock.withLock(out, async () => {
      const done: boolean[] = [];
      for (const span of spans) done.push((await storage.size(joinKey(out, plan.stageOf(span), CHUNK_DONE_NAME))) !== undefined);
      const prefix = publishablePrefix(done);
      const included = spans.slice(0, Math.min(spans.length, prefix + 1));
      for (const v of plan.variants) {
        if (v.kind !== 'video') continue;
        const texts: string[] = [];
        let initFrom: string | undefined;
        for (const span of included) {
          const stageRung = joinKey(out, plan.stageOf(span), v.name);
          const playlistKey = joinKey(stageRung, MEDIA_PLAYLIST_NAME);
          if ((await storage.size(playlistKey)) === undefined) break;
          texts.push(await storage.readText(playlistKey));
          if (!initFrom && (await storage.size(joinKey(stageRung, INIT_NAME))) !== undefined) initFrom = joinKey(stageRung, INIT_NAME);
        }
        if (texts.length === 0) continue;
        const initKey = joinKey(out, v.name, INIT_NAME);
        if ((await storage.size(initKey)) === undefined) {
          if (!initFrom) continue;
          await storage.write(initKey, await storage.read(initFrom));
        }
        const servedKey = joinKey(out, v.name, MEDIA_PLAYLIST_NAME);
        const served = (await storage.size(servedKey)) === undefined ? undefined : await storage.readText(servedKey);
        const next = stitchPlaylists(texts, INIT_NAME);
        if (segmentCount(next) > segmentCount(served)) await storage.write(servedKey, next);
      }
      const publisher = new HlsPublisher(storage, out);
      if ((await storage.size(publisher.masterKey)) !== undefined) return false;
      for (const v of plan.variants) if (!(await publisher.hasFirstSegment(v))) return false;
      await publisher.publishEarlyMaster(plan.variants);
      return true;
    });
  }

  private async plan(req: ChunkedJob, storage: MediaStorage): Promise<{ info: MediaInfo; plan: ChunkedHlsPlan; spans: ChunkSpan[] }> {
    const sourcePath = sourceInput(req.sourcePath);
    const info = await this.probe(sourcePath, req.limits);
    const plan = planChunkedHls({
      info,
      sourcePath,
      outDir: storage.localPath(req.outKey),
      maxHeight: req.maxHeight,
      threads: req.threads,
      firstSegmentSec: req.firstSegmentSec,
    });
    return { info, plan, spans: chunkSpans(info.durationSec, req.chunkSec, req.firstSegmentSec) };
  }

  private async probe(sourcePath: string, limits: TranscodeLimits): Promise<MediaInfo> {
    const info = await this.deps.probe({
      ffprobePath: this.deps.ffprobePath,
      sourcePath,
      timeoutMs: Math.min(limits.probeTimeoutMs ?? DEFAULT_LIMITS.probeTimeoutMs, limits.timeoutMs),
    });
    assertWithinLimits(info, limits);
    return info;
  }
}

/** How often a part republishes until the stream is playable (after that: publishPollMs). */
const FIRST_PUBLISH_POLL_MS = 100;

/** A path made absolute; a storage URL as it is. */
function sourceInput(source: string): string {
  return storageUrl(source) ? source : resolve(source);
}

/**
 * A finished rung's playlist, init segment and segments as local files (local disk: they are; S3: downloaded
 * into the scratch space, released with the job's other scratch files).
 */
async function fetchRungLocal(storage: MediaStorage, rungKey: string): Promise<void> {
  const playlist = parseMediaPlaylist(await storage.readText(joinKey(rungKey, MEDIA_PLAYLIST_NAME)));
  await storage.fetchLocal(joinKey(rungKey, MEDIA_PLAYLIST_NAME));
  const uris = [...(playlist.mapUri ? [playlist.mapUri] : []), ...playlist.segments.map((seg) => seg.uri)];
  let next = 0;
  const lanes = Array.from({ length: Math.min(FETCH_PARALLEL, uris.length) }, async () => {
    while (next < uris.length) await storage.fetchLocal(joinKey(rungKey, uris[next++]));
  });
  await Promise.all(lanes);
}

/** Downloads at once while fetching a rung: segments are small, latency dominates. */
const FETCH_PARALLEL = 4;

export type { PlannedVariant };
