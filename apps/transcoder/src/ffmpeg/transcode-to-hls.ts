import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FfmpegError, FfmpegRunner } from './ffmpeg-runner.js';
import { buildHlsCommand } from './hls-command.js';
import { finaliseRung } from './hls-output.js';
import { chooseLadder, type RungName } from './ladder.js';
import type { MediaInfo } from './media-info.js';
import { assertWithinLimits, formatDuration, type TranscodeLimits } from './media-limits.js';
import { MediaRejectedError } from './media-rejected.error.js';
import { buildMasterPlaylist, measureBandwidth, type MasterVariant } from './master-playlist.js';
import { probeMedia } from './probe.js';

export type { TranscodeLimits } from './media-limits.js';
export type { MediaInfo } from './media-info.js';
export { MediaRejectedError } from './media-rejected.error.js';

export interface TranscodeOptions {
  /** Server-generated path, never user-named. */
  sourcePath: string;
  /** Final directory; replaced if it exists. Receives master.m3u8 and <rung>/{index.m3u8,init.mp4,seg_*.m4s}. */
  outDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** Top of the ladder as a short-side resolution (default 1080). */
  maxHeight: number;
  limits: TranscodeLimits;
  /** Default 10; ffmpeg runs under `nice -n` when /usr/bin/nice exists. */
  niceness?: number;
  /** 0..100, at most ~2 calls per second. */
  onProgress?: (percent: number) => void;
  /** Aborting kills ffmpeg (SIGTERM, SIGKILL after 3 s). */
  signal?: AbortSignal;
}

export interface TranscodeResult {
  info: MediaInfo;
  /** bitrate = measured peak bits/s (the master playlist's BANDWIDTH). */
  renditions: Array<{ name: RungName; width: number; height: number; bitrate: number }>;
  masterPlaylist: string;
}

export const MASTER_PLAYLIST_NAME = 'master.m3u8';
/** ffprobe gets its own short limit: reading headers never needs the full transcode budget. */
const PROBE_TIMEOUT_MS = 60_000;

/** probe -> limits -> ladder -> one ffmpeg -> measure -> master playlist -> rename into place. */
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
  const video = info.video!;
  // The container rate is an upper bound for the video's own rate when the stream does not state one (mkv).
  const ladder = chooseLadder({ ...video, bitrate: video.bitrate ?? info.bitrate }, { maxHeight: opts.maxHeight || 1080 });

  const workDir = `${outDir}.tmp-${randomBytes(6).toString('hex')}`;
  await mkdir(dirname(outDir), { recursive: true });
  try {
    await mkdir(workDir);
    for (const rung of ladder) await mkdir(join(workDir, rung.name));
    try {
      await runner.run({
        ffmpegPath: opts.ffmpegPath,
        args: buildHlsCommand({ info, ladder, sourcePath, workDir }),
        timeoutMs: opts.limits.timeoutMs,
        durationSec: info.durationSec,
        niceness: opts.niceness ?? 10,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
    } catch (err) {
      if (err instanceof FfmpegError && err.reason === 'timeout') {
        // Same file, same machine: a retry would be killed again.
        throw new MediaRejectedError(
          `This video took longer than ${formatDuration(opts.limits.timeoutMs / 1000)} to convert, so we stopped. Try a shorter or smaller file.`,
        );
      }
      throw err;
    }

    const variants: MasterVariant[] = [];
    for (const rung of ladder) {
      const out = await finaliseRung(join(workDir, rung.name), info.audio !== undefined);
      variants.push({ name: rung.name, width: rung.width, height: rung.height, fps: rung.fps, ...out });
    }
    await writeFile(join(workDir, MASTER_PLAYLIST_NAME), buildMasterPlaylist(variants));
    await replaceDir(workDir, outDir);
    opts.onProgress?.(100);

    return {
      info,
      renditions: variants.map((v) => ({ name: v.name as RungName, width: v.width, height: v.height, bitrate: measureBandwidth(v.segments).peak })),
      masterPlaylist: join(outDir, MASTER_PLAYLIST_NAME),
    };
  } catch (err) {
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Moves the finished tree into place. rename() cannot replace a non-empty directory, so an existing one
 * (a re-run of the same job) is moved aside first and deleted after; readers see either the old or the
 * new tree, never a half-written one.
 */
async function replaceDir(from: string, to: string): Promise<void> {
  const old = `${to}.old-${randomBytes(6).toString('hex')}`;
  let moved = false;
  try {
    await rename(to, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await rename(from, to);
  if (moved) await rm(old, { recursive: true, force: true });
}
