import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MEDIA_FILES } from '@reelroom/contracts';
import { FfmpegError, FfmpegRunner } from './ffmpeg-runner.js';
import { AUDIO_ONLY_BITRATE, AUDIO_RUNG_NAME, buildAudioHlsCommand, buildHlsCommand } from './hls-command.js';
import { finaliseRung, MEDIA_PLAYLIST_NAME, rungCodecs, rungHasFirstSegment, writeFileAtomic, type RungKind } from './hls-output.js';
import { chooseLadder, type RungName } from './ladder.js';
import type { MediaInfo } from './media-info.js';
import { assertWithinLimits, formatDuration, type TranscodeLimits } from './media-limits.js';
import { MediaRejectedError } from './media-rejected.error.js';
import { buildMasterPlaylist, estimateBandwidth, measureBandwidth, type Bandwidth, type MasterVariant } from './master-playlist.js';
import { buildAudioPosterCommand, buildPosterCommand } from './poster-command.js';
import { probeMedia } from './probe.js';
import { buildStoryboardCommand, buildStoryboardVtt, storyboardLayout } from './storyboard.js';

export type { TranscodeLimits } from './media-limits.js';
export type { MediaInfo } from './media-info.js';
export { MediaRejectedError } from './media-rejected.error.js';

export interface TranscodeOptions {
  /** Server-generated path, never user-named. */
  sourcePath: string;
  /**
   * Served directory; emptied first, then written progressively: <rung>/{index.m3u8,init.mp4,seg_*.m4s}
   * while ffmpeg runs, master.m3u8 once every rung has a segment, poster.jpg, storyboard.{jpg,vtt}.
   * Removed again if the transcode fails or is aborted.
   */
  outDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** Top of the ladder as a short-side resolution (default 1080). */
  maxHeight: number;
  limits: TranscodeLimits;
  /** Default 10; ffmpeg runs under `nice -n` when /usr/bin/nice exists. Poster and storyboard run 5 lower. */
  niceness?: number;
  /** 0..100, at most ~2 calls per second. */
  onProgress?: (percent: number) => void;
  /** Once, when master.m3u8 is first written: the stream can be played from the start while encoding goes on. */
  onPlayable?: () => void;
  /** Once, when poster.jpg is written (during the encode, after onPlayable). */
  onPoster?: () => void;
  /** Aborting kills ffmpeg (SIGTERM, SIGKILL after 3 s). */
  signal?: AbortSignal;
  /** How often the output is checked for the first segment of every rung (default 100 ms). */
  playablePollMs?: number;
}

export interface TranscodeResult {
  info: MediaInfo;
  kind: 'video' | 'audio';
  /** bitrate = measured peak bits/s (the master playlist's BANDWIDTH). Empty for audio-only media. */
  renditions: Array<{ name: RungName; width: number; height: number; bitrate: number }>;
  masterPlaylist: string;
  poster: boolean;
  storyboard: boolean;
}

export const MASTER_PLAYLIST_NAME = MEDIA_FILES.master;
/** ffprobe gets its own short limit: reading headers never needs the full transcode budget. */
const PROBE_TIMEOUT_MS = 60_000;
/** Poster and storyboard: small jobs; a source that makes them slow is not worth waiting for. */
const ARTWORK_TIMEOUT_MS = 60_000;

/** One variant of the output as planned before ffmpeg runs. */
interface PlannedVariant {
  name: string;
  kind: RungKind;
  width?: number;
  height?: number;
  fps?: number;
  /** Until measured. */
  estimate: Bandwidth;
}

/**
 * probe -> limits -> ladder -> one ffmpeg writing EVENT playlists into the served directory -> master as soon
 * as every rung has a segment (playable) -> poster -> VOD playlists and measured master -> storyboard.
 */
export async function transcodeToHls(opts: TranscodeOptions, runner: FfmpegRunner = new FfmpegRunner()): Promise<TranscodeResult> {
  const sourcePath = resolve(opts.sourcePath);
  const outDir = resolve(opts.outDir);
  opts.signal?.throwIfAborted();

  const info = await probeMedia({
    ffprobePath: opts.ffprobePath,
    sourcePath,
    timeoutMs: Math.min(PROBE_TIMEOUT_MS, opts.limits.timeoutMs),
  });
  assertWithinLimits(info, opts.limits);

  const { variants, args, ladder } = plan(info, sourcePath, outDir, opts.maxHeight || 1080);
  const niceness = opts.niceness ?? 10;
  const artworkNiceness = Math.min(19, niceness + 5);
  const masterPath = join(outDir, MASTER_PLAYLIST_NAME);

  // Idempotent: whatever an earlier attempt left is removed before ffmpeg writes a byte.
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (const v of variants) await mkdir(join(outDir, v.name));

  // Poster and storyboard stop with the job, and with a failed encode.
  const artwork = new AbortController();
  const stopArtwork = () => artwork.abort();
  opts.signal?.addEventListener('abort', stopArtwork, { once: true });
  let playableSent = false;
  const announcePlayable = () => {
    if (playableSent) return;
    playableSent = true;
    opts.onPlayable?.();
  };
  let encoding = true;
  let posterTask: Promise<boolean> = Promise.resolve(false);

  try {
    const encode = runner.run({
      ffmpegPath: opts.ffmpegPath,
      args,
      timeoutMs: opts.limits.timeoutMs,
      durationSec: info.durationSec,
      niceness,
      onProgress: opts.onProgress ? (p) => opts.onProgress!(Math.min(p, 99.9)) : undefined,
      signal: opts.signal,
    });
    const watch = (async () => {
      if (!(await waitForFirstSegments(outDir, variants, () => encoding, opts.playablePollMs ?? 100))) return;
      await writeFileAtomic(masterPath, await masterWhileEncoding(outDir, variants));
      announcePlayable();
      // The poster waits for playability so it never competes with the first segments for the CPU.
      posterTask = writePoster(info, sourcePath, outDir, runner, opts, artworkNiceness, artwork.signal).then((ok) => {
        if (ok) opts.onPoster?.();
        return ok;
      });
    })();

    try {
      await encode;
    } catch (err) {
      if (err instanceof FfmpegError && err.reason === 'timeout') {
        // Same file, same machine: a retry would be killed again.
        throw new MediaRejectedError(
          `This file took longer than ${formatDuration(opts.limits.timeoutMs / 1000)} to convert, so we stopped. Try a shorter or smaller file.`,
        );
      }
      throw err;
    } finally {
      encoding = false;
      await watch.catch(() => undefined);
    }

    // VOD playlists, then the master with measured bandwidth: every rewrite is temp file + rename.
    const finished: MasterVariant[] = [];
    for (const v of variants) {
      const out = await finaliseRung(join(outDir, v.name), v.kind);
      finished.push({ name: v.name, width: v.width, height: v.height, fps: v.fps, ...out });
    }
    await writeFileAtomic(masterPath, buildMasterPlaylist(finished));
    announcePlayable();
    // A short clip can finish before the watcher saw it: the poster is still wanted.
    if (!(await posterTask)) {
      const ok = await writePoster(info, sourcePath, outDir, runner, opts, artworkNiceness, artwork.signal);
      if (ok) opts.onPoster?.();
      posterTask = Promise.resolve(ok);
    }
    const poster = await posterTask;
    const lowest = ladder.at(-1);
    const storyboard = lowest
      ? await writeStoryboard(info.durationSec, lowest, outDir, runner, opts, artworkNiceness, artwork.signal)
      : false;
    opts.signal?.throwIfAborted();
    opts.onProgress?.(100);

    return {
      info,
      kind: info.video ? 'video' : 'audio',
      renditions: ladder.map((rung) => {
        const v = finished.find((f) => f.name === rung.name)!;
        return { name: rung.name, width: rung.width, height: rung.height, bitrate: measureBandwidth(v.segments!).peak };
      }),
      masterPlaylist: masterPath,
      poster,
      storyboard,
    };
  } catch (err) {
    artwork.abort();
    await posterTask.catch(() => undefined);
    await rm(outDir, { recursive: true, force: true });
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', stopArtwork);
  }
}

function plan(info: MediaInfo, sourcePath: string, outDir: string, maxHeight: number) {
  const video = info.video;
  if (!video) {
    const variants: PlannedVariant[] = [{ name: AUDIO_RUNG_NAME, kind: 'audio', estimate: estimateBandwidth(0, AUDIO_ONLY_BITRATE) }];
    return { variants, ladder: [], args: buildAudioHlsCommand({ info, sourcePath, workDir: outDir }) };
  }
  // The container rate is an upper bound for the video's own rate when the stream does not state one (mkv).
  const ladder = chooseLadder({ ...video, bitrate: video.bitrate ?? info.bitrate }, { maxHeight });
  const hasAudio = info.audio !== undefined;
  const variants: PlannedVariant[] = ladder.map((rung) => ({
    name: rung.name,
    kind: hasAudio ? 'video+audio' : 'video',
    width: rung.width,
    height: rung.height,
    fps: rung.fps,
    estimate: estimateBandwidth(rung.videoBitrate, hasAudio ? rung.audioBitrate : 0),
  }));
  return { variants, ladder, args: buildHlsCommand({ info, ladder, sourcePath, workDir: outDir }) };
}

/** Polls until every rung lists a segment (true), or the encode ends first (false). */
async function waitForFirstSegments(outDir: string, variants: readonly PlannedVariant[], running: () => boolean, pollMs: number): Promise<boolean> {
  const ready = new Set<string>();
  while (running()) {
    for (const v of variants) if (!ready.has(v.name) && (await rungHasFirstSegment(join(outDir, v.name)))) ready.add(v.name);
    if (ready.size === variants.length) return true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return false;
}

/** Master with CODECS read from each init segment and BANDWIDTH estimated from the ladder's maxrate. */
async function masterWhileEncoding(outDir: string, variants: readonly PlannedVariant[]): Promise<string> {
  const out: MasterVariant[] = [];
  for (const v of variants) {
    out.push({ name: v.name, width: v.width, height: v.height, fps: v.fps, codecs: await rungCodecs(join(outDir, v.name), v.kind), bandwidth: v.estimate });
  }
  return buildMasterPlaylist(out);
}

/**
 * poster.jpg: for video, the `thumbnail` pick ~10 % in, falling back to the first frame; for audio, the
 * waveform. Never fails the job: a missing poster is logged by the caller through `false`.
 */
async function writePoster(
  info: MediaInfo,
  sourcePath: string,
  outDir: string,
  runner: FfmpegRunner,
  opts: TranscodeOptions,
  niceness: number,
  signal: AbortSignal,
): Promise<boolean> {
  const outPath = join(outDir, MEDIA_FILES.poster);
  const tmp = join(outDir, `.${MEDIA_FILES.poster}.tmp`);
  const attempts: string[][] = info.video
    ? [
        buildPosterCommand({ sourcePath, formatName: info.formatName, videoIndex: info.video.index, durationSec: info.durationSec, outPath: tmp }),
        buildPosterCommand({ sourcePath, formatName: info.formatName, videoIndex: info.video.index, durationSec: info.durationSec, outPath: tmp, atSec: 0 }),
      ]
    : info.audio
      ? [buildAudioPosterCommand({ sourcePath, formatName: info.formatName, audioIndex: info.audio.index, outPath: tmp })]
      : [];
  for (const args of attempts) {
    if (signal.aborted) return false;
    try {
      await runner.run({ ffmpegPath: opts.ffmpegPath, args, timeoutMs: ARTWORK_TIMEOUT_MS, niceness, signal });
      if ((await stat(tmp)).size > 0) {
        await rename(tmp, outPath);
        return true;
      }
    } catch {
      // next attempt
    }
  }
  await rm(tmp, { force: true });
  return false;
}

/** storyboard.jpg + storyboard.vtt from the lowest (finished, VOD) rung. */
async function writeStoryboard(
  durationSec: number,
  lowest: { name: string; width: number; height: number },
  outDir: string,
  runner: FfmpegRunner,
  opts: TranscodeOptions,
  niceness: number,
  signal: AbortSignal,
): Promise<boolean> {
  const sprite = join(outDir, MEDIA_FILES.storyboardSprite);
  const tmp = join(outDir, `.${MEDIA_FILES.storyboardSprite}.tmp`);
  try {
    const layout = storyboardLayout(durationSec, lowest.width, lowest.height);
    await runner.run({
      ffmpegPath: opts.ffmpegPath,
      args: buildStoryboardCommand({ playlistPath: join(outDir, lowest.name, MEDIA_PLAYLIST_NAME), layout, outPath: tmp }),
      timeoutMs: ARTWORK_TIMEOUT_MS,
      niceness,
      signal,
    });
    await rename(tmp, sprite);
    await writeFileAtomic(join(outDir, MEDIA_FILES.storyboardVtt), buildStoryboardVtt(layout, durationSec, MEDIA_FILES.storyboardSprite));
    return true;
  } catch {
    await rm(tmp, { force: true });
    return false;
  }
}
