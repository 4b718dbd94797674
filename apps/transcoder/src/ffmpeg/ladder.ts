import type { VideoStreamInfo } from './media-info.js';

export type RungName = 'high' | 'medium' | 'low';

export interface LadderRung {
  name: RungName;
  /** Output size; the short side is the rung "resolution" (720 for both 1280x720 and 720x1280). */
  width: number;
  height: number;
  /** Output frames per second. */
  fps: number;
  /** Source rate divided by this gives `fps`; 1 means no fps filter. */
  fpsDivisor: number;
  /** Target video bit rate T in bits/s: used as -maxrate T -bufsize 2T over CRF. */
  videoBitrate: number;
  audioBitrate: number;
}

export interface LadderOptions {
  /** Top of the ladder as a short-side resolution (default 1080). */
  maxHeight: number;
}

/** Short-side resolutions we encode, highest first. */
export const RUNG_RESOLUTIONS = [1080, 720, 480, 360] as const;
const RUNG_NAMES: readonly RungName[] = ['high', 'medium', 'low'];

export const MAX_FPS = 60;
/** Apple HLS authoring spec 1.25: at most 30 fps below 540p; PeerTube does the same below 720p. */
export const LOW_RUNG_MAX_FPS = 30;
const LOW_RUNG_BELOW = 720;

/**
 * Average bits per pixel per frame, from PeerTube packages/core-utils/src/videos/bitrate.ts@b6b1aaa
 * (which cites bitmovin's "per-title encoding" ladder article): higher for small frames, whose detail is
 * denser per pixel.
 */
const BITS_PER_PIXEL: ReadonlyArray<readonly [number, number]> = [
  [1080, 0.1],
  [720, 0.11],
  [480, 0.12],
  [360, 0.15],
  [240, 0.17],
  [144, 0.19],
];
/** PeerTube's floor (min bpp .02), so a tiny or very low-rate rung still gets a usable bit rate. */
const MIN_BITS_PER_PIXEL = 0.02;
const MIN_BITRATE = 64_000;
/** Never spend more than 30 % above what the source itself used (PeerTube getTargetBitrate). */
const SOURCE_HEADROOM = 1.3;

export const AUDIO_BITRATE = 128_000;
export const LOW_AUDIO_BITRATE = 96_000;

/**
 * Picks up to three rungs (high/medium/low) for a source: never upscales, portrait-aware, even sizes,
 * fps capped, bit rate from a bits-per-pixel table capped by the source bit rate.
 */
export function chooseLadder(video: Pick<VideoStreamInfo, 'width' | 'height' | 'fps' | 'bitrate'>, opts: LadderOptions): LadderRung[] {
  const short = Math.min(video.width, video.height);
  const top = Math.min(short, opts.maxHeight);
  let shorts: number[] = RUNG_RESOLUTIONS.filter((r) => r <= top).slice(0, RUNG_NAMES.length);
  // A source smaller than our lowest rung gets one rung at its own size (rounded down to even).
  if (shorts.length === 0) shorts = [Math.max(2, top - (top % 2))];

  return shorts.map((rungShort, i) => {
    const { width, height } = scaledSize(video.width, video.height, rungShort);
    const fpsCap = rungShort < LOW_RUNG_BELOW ? LOW_RUNG_MAX_FPS : MAX_FPS;
    const fpsDivisor = frameRateDivisor(video.fps, fpsCap);
    const fps = video.fps / fpsDivisor;
    const name = RUNG_NAMES[i];
    return {
      name,
      width,
      height,
      fps,
      fpsDivisor,
      videoBitrate: targetBitrate(width, height, fps, rungShort, video.bitrate),
      audioBitrate: name === 'low' ? LOW_AUDIO_BITRATE : AUDIO_BITRATE,
    };
  });
}

/**
 * Output size with the short side set to `rungShort` and the long side scaled to keep the aspect ratio,
 * rounded to the nearest even number the way ffmpeg's `scale=-2:<h>` does (av_rescale rounds to nearest):
 * 1280x720 -> 480 gives 854x480. Even sizes are required by yuv420p.
 */
export function scaledSize(srcW: number, srcH: number, rungShort: number): { width: number; height: number } {
  const landscape = srcW >= srcH;
  const srcShort = landscape ? srcH : srcW;
  const srcLong = landscape ? srcW : srcH;
  const long = Math.max(2, Math.round((srcLong * rungShort) / srcShort / 2) * 2);
  return landscape ? { width: long, height: rungShort } : { width: rungShort, height: long };
}

/**
 * Smallest whole divisor that brings the source rate under the cap, so frames are dropped evenly
 * (60 -> 30, 59.94 -> 29.97, 50 -> 25, 120 -> 60) like PeerTube's framerate.ts, instead of resampling
 * 50 fps to a juddering 30.
 */
export function frameRateDivisor(sourceFps: number, cap: number): number {
  if (!(sourceFps > cap)) return 1;
  return Math.ceil(sourceFps / cap - 1e-9);
}

/** T = max(floor, min(w*h*fps*bpp, 1.3 * source bitrate)), rounded to whole kb/s. */
export function targetBitrate(width: number, height: number, fps: number, rungShort: number, sourceBitrate?: number): number {
  const bpp = bitsPerPixelFor(rungShort);
  const pixelsPerSecond = width * height * fps;
  let target = pixelsPerSecond * bpp;
  if (sourceBitrate !== undefined && sourceBitrate > 0) target = Math.min(target, sourceBitrate * SOURCE_HEADROOM);
  target = Math.max(target, pixelsPerSecond * MIN_BITS_PER_PIXEL, MIN_BITRATE);
  return Math.round(target / 1000) * 1000;
}

function bitsPerPixelFor(rungShort: number): number {
  for (const [res, bpp] of BITS_PER_PIXEL) if (rungShort >= res) return bpp;
  return BITS_PER_PIXEL[BITS_PER_PIXEL.length - 1][1];
}
