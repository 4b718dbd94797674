import type { MediaInfo } from './media-info.js';
import { MediaRejectedError } from './media-rejected.error.js';

/**
 * What a source may be and how long each step may take. The transcoder's config fills every field from
 * the environment (defaults below); direct callers (tests, bench) may leave the optional ones out.
 */
export interface TranscodeLimits {
  maxDurationSec: number;
  /** Sides, compared orientation-free: the long side against the larger value, the short against the smaller. */
  maxWidth: number;
  maxHeight: number;
  maxFps: number;
  maxStreams: number;
  /** Wall-clock limit of the encoding ffmpeg. */
  timeoutMs: number;
  /** Width x height ceiling; default MAX_PIXELS (4K). */
  maxPixels?: number;
  /** ffprobe's own limit: reading headers never needs the full transcode budget. Default 60 s. */
  probeTimeoutMs?: number;
  /** Each poster or storyboard ffmpeg: small jobs; a source that makes them slow is not worth waiting for. Default 60 s. */
  artworkTimeoutMs?: number;
}

/**
 * ffprobe `format_name` values we accept, compared as whole strings. Everything else is refused, in
 * particular the demuxers that read other files or generate input: hls, concat, image2/image2pipe (file
 * patterns), lavfi, tty (plain text), subtitles, playlists. mp3/wav/aac/flac (and ogg, mov/m4a, matroska for
 * Opus/Vorbis/AAC) cover audio-only uploads.
 */
export const ALLOWED_FORMATS: readonly string[] = [
  'mov,mp4,m4a,3gp,3g2,mj2',
  'matroska,webm',
  'avi',
  'flv',
  'mpegts',
  'mpeg',
  'ogg',
  'asf',
  'wav',
  'mp3',
  'aac',
  'flac',
];

/** ffprobe's `-format_whitelist`: the demuxer names behind ALLOWED_FORMATS ("mov,mp4,..." -> "mov"). */
export const PROBE_FORMAT_WHITELIST = ALLOWED_FORMATS.map((f) => f.split(',')[0]).join(',');

/** 4K as a picture area (DCI 4096x2160), so a 4096x4096 square passes neither side check nor this one. */
export const MAX_PIXELS = 4096 * 2160;

/** The defaults of the limits the config does not set otherwise (README, configuration table). */
export const DEFAULT_LIMITS = {
  maxWidth: 4096,
  maxHeight: 4096,
  maxPixels: MAX_PIXELS,
  maxFps: 120,
  maxStreams: 16,
  probeTimeoutMs: 60_000,
  artworkTimeoutMs: 60_000,
} as const;

/** Throws MediaRejectedError naming the first limit the file breaks. */
export function assertWithinLimits(info: MediaInfo, limits: TranscodeLimits): void {
  if (!ALLOWED_FORMATS.includes(info.formatName)) {
    throw new MediaRejectedError(
      `This file is not a video we can read (the "${info.formatName}" format is not supported). Upload an MP4, MOV, MKV, WebM, AVI or similar video file.`,
    );
  }
  if (info.streamCount > limits.maxStreams) {
    throw new MediaRejectedError(
      `This file has ${info.streamCount} streams; we accept at most ${limits.maxStreams}. Remove extra tracks and try again.`,
    );
  }
  const video = info.video;
  if (!video) {
    // Audio-only uploads become an audio HLS stream; the file still needs a length within the limit.
    if (!info.audio) throw new MediaRejectedError('This file is not a video we can read (no video or audio stream found).');
    assertDuration(info, limits, 'This recording');
    return;
  }
  if (video.width <= 0 || video.height <= 0) {
    throw new MediaRejectedError('This file is not a video we can read (its picture size is unknown).');
  }
  if (!(video.fps > 0)) {
    throw new MediaRejectedError('This file is not a video we can read (its frame rate is unknown).');
  }
  assertDuration(info, limits, 'This video');
  // Compare orientation-free: a 1080x1920 phone video must pass a 1920x1080 limit.
  const longLimit = Math.max(limits.maxWidth, limits.maxHeight);
  const shortLimit = Math.min(limits.maxWidth, limits.maxHeight);
  if (Math.max(video.width, video.height) > longLimit || Math.min(video.width, video.height) > shortLimit) {
    throw new MediaRejectedError(
      `This video is ${video.width}x${video.height}; the largest size we accept is ${limits.maxWidth}x${limits.maxHeight}. Export it at a smaller resolution and try again.`,
    );
  }
  const maxPixels = limits.maxPixels ?? MAX_PIXELS;
  if (video.width * video.height > maxPixels) {
    throw new MediaRejectedError(
      `This video is ${video.width}x${video.height}; the largest picture we accept is ${describePixels(maxPixels)}. Export it at a smaller resolution and try again.`,
    );
  }
  if (video.fps > limits.maxFps + 0.01) {
    throw new MediaRejectedError(
      `This video runs at ${round2(video.fps)} frames per second; the limit is ${limits.maxFps}. Export it at a lower frame rate and try again.`,
    );
  }
}

function assertDuration(info: MediaInfo, limits: TranscodeLimits, what: string): void {
  if (!(info.durationSec > 0)) {
    throw new MediaRejectedError('This file is not a video we can read (its length is unknown).');
  }
  if (info.durationSec > limits.maxDurationSec) {
    throw new MediaRejectedError(
      `${what} is ${formatDuration(info.durationSec)} long; the limit is ${formatDuration(limits.maxDurationSec)}. Trim it and try again.`,
    );
  }
}

/** 5400 -> "1 h 30 min", 95 -> "1 min 35 s". */
export function formatDuration(totalSec: number): string {
  const s = Math.round(totalSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
  return `${sec} s`;
}

/** "4K (4096x2160)" for the default, "2.1 megapixels" for any other ceiling. */
export function describePixels(pixels: number): string {
  return pixels === MAX_PIXELS ? '4K (4096x2160)' : `${round2(pixels / 1_000_000)} megapixels`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
