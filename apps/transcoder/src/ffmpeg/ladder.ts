import type { VideoStreamInfo } from './media-info.js';

export type RungName = 'high' | 'medium' | 'low';

export interface LadderRung {
  /**
   * Folder and variant name: the tier (`high`, `medium`, `low`) for the rungs people see, or
   * `<upper>-<lower>` (`high-medium`, `medium-low-2`) for a step rung added between two tiers so that
   * adjacent bit rates stay at most 2x apart (closeGaps).
   */
  name: string;
  /** The tier this rung is (its name); null for a step rung, which is not listed among the renditions. */
  tier: RungName | null;
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
 * Picks up to three tiers (high/medium/low) for a source: never upscales, portrait-aware, even sizes,
 * fps capped, bit rate from a bits-per-pixel table capped by the source bit rate; then closes gaps over
 * 2x between adjacent rungs (closeGaps), adding a step rung where raising the lower one is not enough.
 */
export function chooseLadder(
  video: Pick<VideoStreamInfo, 'width' | 'height' | 'fps' | 'bitrate' | 'displayAspect'>,
  opts: LadderOptions,
): LadderRung[] {
  const short = Math.min(video.width, video.height);
  const top = Math.min(short, opts.maxHeight);
  let shorts: number[] = RUNG_RESOLUTIONS.filter((r) => r <= top).slice(0, RUNG_NAMES.length);
  // A source smaller than our lowest rung gets one rung at its own size (rounded down to even).
  if (shorts.length === 0) shorts = [Math.max(2, top - (top % 2))];

  const tiers = shorts.map((rungShort, i) => {
    const fpsCap = rungShort < LOW_RUNG_BELOW ? LOW_RUNG_MAX_FPS : MAX_FPS;
    const fpsDivisor = frameRateDivisor(video.fps, fpsCap);
    return rungAt(video, rungShort, fpsDivisor, RUNG_NAMES[i]);
  });
  return closeGaps(tiers, video);
}

type LadderSource = Pick<VideoStreamInfo, 'width' | 'height' | 'fps' | 'bitrate' | 'displayAspect'>;

function rungAt(
  video: LadderSource,
  rungShort: number,
  fpsDivisor: number,
  name: string,
  tier: RungName | null = name as RungName,
): LadderRung {
  const { width, height } = scaledSize(video.width, video.height, rungShort, video.displayAspect);
  const fps = video.fps / fpsDivisor;
  return {
    name,
    tier,
    width,
    height,
    fps,
    fpsDivisor,
    videoBitrate: targetBitrate(width, height, fps, rungShort, video.bitrate),
    audioBitrate: name === 'low' ? LOW_AUDIO_BITRATE : AUDIO_BITRATE,
  };
}

/** Apple HLS authoring spec 1.25 (and its notes): adjacent rungs 1.5-2x apart in bit rate, never more than 2x. */
export const MAX_STEP_RATIO = 2;
/**
 * A gap up to 12.5 % over a whole number of doublings is closed by raising the lower rung's target (its VBV
 * ceiling over CRF: a little more room, no other cost) rather than by a whole extra encode: the
 * bits-per-pixel table alone puts 1080->720 at 2.05x and 720->480 at 2.06x.
 */
const MAX_RAISE = 1.125;

/**
 * Keeps every pair of adjacent rungs at most 2x apart: for a gap of r, n = ceil(log2(r / 1.125)) steps;
 * the lower rung is raised to upper / 2^n when short of it, and n - 1 step rungs are inserted at
 * geometrically spaced bit rates. Where the frame rate halves between tiers (1080p60/720p60 over 480p30),
 * the first step is the upper size at the lower rate (720p30), the cheapest way to halve the rate; other
 * steps get a short side geometrically between the two.
 */
export function closeGaps(tiers: readonly LadderRung[], video: LadderSource): LadderRung[] {
  const out: LadderRung[] = [];
  for (const tier of tiers) {
    const upper = out.at(-1);
    if (!upper || upper.videoBitrate <= tier.videoBitrate * MAX_STEP_RATIO) {
      out.push(raiseTo(tier, upper));
      continue;
    }
    const steps = Math.max(1, Math.ceil(Math.log2(upper.videoBitrate / tier.videoBitrate / MAX_RAISE) - 1e-9));
    const lower = { ...tier, videoBitrate: Math.max(tier.videoBitrate, roundUpKbps(upper.videoBitrate / MAX_STEP_RATIO ** steps)) };
    const ratio = upper.videoBitrate / lower.videoBitrate;
    const upperShort = Math.min(upper.width, upper.height);
    const lowerShort = Math.min(lower.width, lower.height);
    const fpsDrop = upper.fps > lower.fps;
    for (let k = 1; k < steps; k++) {
      const f = fpsDrop ? (k - 1) / Math.max(1, steps - 1) : k / steps;
      const short = Math.max(lowerShort, Math.round((upperShort * (lowerShort / upperShort) ** f) / 2) * 2);
      const name = `${upper.tier ?? upper.name}-${tier.name}${steps > 2 ? `-${k}` : ''}`;
      const step = rungAt(video, short, lower.fpsDivisor, name, null);
      out.push(raiseTo({ ...step, videoBitrate: roundUpKbps(upper.videoBitrate / ratio ** (k / steps)) }, out.at(-1)));
    }
    out.push(raiseTo(lower, out.at(-1)));
  }
  return out;
}

/** The rung with its target raised, if needed, to half the rung above (rounding never leaves a gap over 2x). */
function raiseTo(rung: LadderRung, upper: LadderRung | undefined): LadderRung {
  if (!upper) return rung;
  return { ...rung, videoBitrate: Math.max(rung.videoBitrate, roundUpKbps(upper.videoBitrate / MAX_STEP_RATIO)) };
}

const roundUpKbps = (bits: number): number => Math.ceil(bits / 1000) * 1000;

/**
 * Output size with the short side set to `rungShort` and the long side from the source's DISPLAY aspect
 * ratio (its sample aspect ratio applied), rounded to the nearest even number (yuv420p needs even sizes).
 * The encode sets square pixels (setsar=1 in the filter graph), so the picture shows at width/height: for
 * 16:9 at 480 lines, 854x480 displays at 1.7792 instead of 1.7778 (0.08 % wider), where ffmpeg's scale
 * alone would keep the exact ratio with 1280:1281 pixels, which some players and TVs then stretch or
 * letterbox. An anamorphic 1440x1080 (SAR 4:3) source gives 1920x1080 with square pixels.
 */
export function scaledSize(srcW: number, srcH: number, rungShort: number, displayAspect?: number): { width: number; height: number } {
  const aspect = displayAspect && displayAspect > 0 ? displayAspect : srcW / srcH;
  const landscape = aspect >= 1;
  const longPerShort = landscape ? aspect : 1 / aspect;
  const long = Math.max(2, Math.round((longPerShort * rungShort) / 2) * 2);
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
