import { isAbsolute } from 'node:path';
import { hardenedInput } from './hardened-input.js';
import { demuxerFor } from './hls-command.js';
import type { MediaInfo } from './media-info.js';

/** Widest poster we write; smaller sources keep their own width (never upscaled). */
export const POSTER_MAX_WIDTH = 1280;
/** Where in the video the poster is taken from, as a fraction of its length (past most intros and fades). */
export const POSTER_AT_FRACTION = 0.1;
/** Frames the `thumbnail` filter compares to pick the most representative one. */
export const POSTER_THUMBNAIL_FRAMES = 30;

const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
/** One JPEG (mjpeg in image2, a single file: -update 1), quality 3 of 2-31. */
const JPEG_OUT = ['-frames:v', '1', '-q:v', '3', '-c:v', 'mjpeg', '-f', 'image2', '-update', '1'];

export interface PosterCommandInput {
  sourcePath: string;
  formatName: string;
  videoIndex: number;
  durationSec: number;
  outPath: string;
  /** Seek here instead of POSTER_AT_FRACTION of the duration (0 for the first-frame fallback). */
  atSec?: number;
}

/**
 * Video poster: input-seek (`-ss` before `-i`, a cheap keyframe seek) to ~10 % of the duration, let the
 * `thumbnail` filter pick the most representative of the next frames, scale down to at most 1280 px
 * wide. Same input hardening as the transcode (hardenedInput).
 */
export function buildPosterCommand(input: PosterCommandInput): string[] {
  assertPaths(input.sourcePath, input.outPath);
  const at = input.atSec ?? posterTime(input.durationSec);
  return [
    ...COMMON,
    ...hardenedInput({ path: input.sourcePath, demuxer: demuxerFor(input.formatName), seekSec: at }),
    '-map',
    `0:${input.videoIndex}`,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    `thumbnail=${POSTER_THUMBNAIL_FRAMES},scale=w='min(${POSTER_MAX_WIDTH},iw)':h=-2,format=yuvj420p`,
    ...JPEG_OUT,
    input.outPath,
  ];
}

/** 10 % into the video, but never so close to the end that no frame is left to pick from. */
export function posterTime(durationSec: number): number {
  if (!(durationSec > 0)) return 0;
  return Math.max(0, Math.min(durationSec * POSTER_AT_FRACTION, durationSec - 2));
}

export interface AudioPosterCommandInput {
  sourcePath: string;
  formatName: string;
  audioIndex: number;
  outPath: string;
}

export const AUDIO_POSTER_SIZE = { width: 1280, height: 720 } as const;

/** Audio-only: the whole track's waveform (`showwavespic`) drawn over a dark 16:9 card. */
export function buildAudioPosterCommand(input: AudioPosterCommandInput): string[] {
  assertPaths(input.sourcePath, input.outPath);
  const size = `${AUDIO_POSTER_SIZE.width}x${AUDIO_POSTER_SIZE.height}`;
  return [
    ...COMMON,
    ...hardenedInput({ path: input.sourcePath, demuxer: demuxerFor(input.formatName) }),
    '-filter_complex',
    `[0:${input.audioIndex}]aformat=channel_layouts=mono,showwavespic=s=${size}:colors=0x60a5fa[w];` +
      `color=c=0x111827:s=${size}[bg];[bg][w]overlay=format=auto,format=yuvj420p[out]`,
    '-map',
    '[out]',
    ...JPEG_OUT,
    input.outPath,
  ];
}

/** One way of drawing the poster; `label` names it in logs. */
export interface PosterTry {
  label: string;
  args: string[];
}

/**
 * The posters worth trying, in order: for video the `thumbnail` pick ~10 % in, then the first frame
 * (a seek can fail on a file with a broken index); for audio the waveform; none without either stream.
 */
export function buildPosterTries(info: MediaInfo, sourcePath: string, outPath: string): PosterTry[] {
  if (info.video) {
    const input = { sourcePath, formatName: info.formatName, videoIndex: info.video.index, durationSec: info.durationSec, outPath };
    return [
      { label: '10 % in', args: buildPosterCommand(input) },
      { label: 'first frame', args: buildPosterCommand({ ...input, atSec: 0 }) },
    ];
  }
  if (info.audio)
    return [
      {
        label: 'waveform',
        args: buildAudioPosterCommand({ sourcePath, formatName: info.formatName, audioIndex: info.audio.index, outPath }),
      },
    ];
  return [];
}

function assertPaths(...paths: string[]): void {
  for (const p of paths) if (!isAbsolute(p)) throw new Error(`expected an absolute path: ${p}`);
}
