import type { HlsLimits } from './hls-limits.js';
import type { HlsRendition, HlsVariant } from './hls-playlist.parser.js';

const VIDEO_CODECS = /^(avc1|avc3|hvc1|hev1|dvh1|dvhe|vp08|vp09|vp8|vp9|av01|mp4v)/i;

export function hasVideo(v: HlsVariant): boolean {
  if (v.width !== null) return true;
  if (v.codecs === null) return true; // unknown: assume the common case
  return v.codecs.split(',').some((c) => VIDEO_CODECS.test(c.trim()));
}

/**
 * Whether the variant's own segments carry its sound. A variant pointing at an AUDIO group whose
 * renditions have their own URI plays its sound from separate playlists, which a concatenation of the
 * variant's segments would leave out.
 */
export function hasMuxedAudio(v: HlsVariant, renditions: readonly HlsRendition[]): boolean {
  if (v.audioGroup === null) return true;
  const group = renditions.filter((r) => r.type === 'AUDIO' && r.groupId === v.audioGroup);
  return group.every((r) => r.uri === null);
}

export function withinPictureLimits(v: HlsVariant, limits: Pick<HlsLimits, 'maxWidth' | 'maxHeight' | 'maxPixels'>): boolean {
  if (v.width === null || v.height === null) return true; // unknown: ffprobe's limits decide later
  return v.width <= limits.maxWidth && v.height <= limits.maxHeight && v.width * v.height <= limits.maxPixels;
}

/**
 * The variants worth importing, best first: within the picture limits; with video before audio-only;
 * sound in the segments before separate audio renditions (we import one stream of segments, so sound
 * matters more than a larger picture); then larger picture, then higher bandwidth. Pure.
 */
export function rankVariants(
  variants: readonly HlsVariant[],
  renditions: readonly HlsRendition[],
  limits: Pick<HlsLimits, 'maxWidth' | 'maxHeight' | 'maxPixels'>,
): HlsVariant[] {
  const key = (v: HlsVariant) => [hasVideo(v) ? 1 : 0, hasMuxedAudio(v, renditions) ? 1 : 0, (v.width ?? 0) * (v.height ?? 0), v.bandwidth];
  return variants
    .filter((v) => withinPictureLimits(v, limits))
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
      return 0;
    });
}

/** Expected bytes of a variant over a duration, from its average (else peak) bandwidth in bit/s. */
export function estimateBytes(v: HlsVariant, durationSec: number): number {
  return Math.ceil(((v.averageBandwidth ?? v.bandwidth) * durationSec) / 8);
}
