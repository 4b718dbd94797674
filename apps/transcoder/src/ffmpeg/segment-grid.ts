/**
 * Where a VOD stream's segments start (issue 11, time to first frame): 0, then `firstSec`, then every
 * `segmentSec` (2 s) from `segmentSec` on, so a short first segment leaves every later boundary, and so
 * the keyframe grid, the chunk boundaries and the segment lengths, where they were.
 *
 *   firstSec 1:  [0,1) [1,2) [2,4) [4,6) ...   seg_00000, seg_00001, seg_00002 = [2,4), ...
 *   firstSec 2:  [0,2) [2,4) [4,6) ...         the uniform grid before issue 11 (FIRST_SEGMENT_SEC=2)
 *
 * Why: the stream is published when the first segment of every rung exists, so the media the whole
 * ladder must encode before anyone can watch is `firstSec`, not 2 s (bench/time-to-first-frame.mjs).
 * Apple allows a segment shorter than the target duration (RFC 8216 4.3.3.1 bounds only the longest).
 */
export interface SegmentGrid {
  /** Length of the first segment: 1, or `segmentSec` for the uniform grid. */
  firstSec: number;
  /** Length of every other segment (but the last): the keyframe interval. */
  segmentSec: number;
}

/** The first segment lengths the grid supports: 1 s, or the uniform grid (see muxerSegmentSeconds). */
export const FIRST_SEGMENT_CHOICES = [1, 2] as const;
export type FirstSegmentSec = (typeof FIRST_SEGMENT_CHOICES)[number];

/** The default: a 1 s first segment. */
export const DEFAULT_FIRST_SEGMENT_SEC: FirstSegmentSec = 1;

const isShortFirst = (g: SegmentGrid): boolean => g.firstSec < g.segmentSec;

/**
 * The x264 forced keyframe expression (`-force_key_frames expr:...`; `t` counts from the first frame):
 * an IDR at every boundary of the grid, the same in every rung. The short-first form forces
 * IDR 0 at 0, IDR 1 at `firstSec` and IDR n >= 2 at (n - 1) * segmentSec.
 */
export function keyframeExpression(g: SegmentGrid): string {
  assertGrid(g);
  if (!isShortFirst(g)) return `expr:gte(t,n_forced*${g.segmentSec})`;
  return `expr:if(lt(n_forced,2),gte(t,n_forced*${g.firstSec}),gte(t,(n_forced-1)*${g.segmentSec}))`;
}

/**
 * ffmpeg's `-hls_time` for the grid. The hls muxer (hlsenc.c, 5.1) cuts a video variant at the first
 * keyframe at or after `hls_time * <segments so far>`, so with `hls_time = firstSec <= 1` it cuts at every
 * forced keyframe (the n-th boundary, 2 (n - 1), is never below n * 1): the keyframes alone decide the
 * video segments. `-hls_init_time` cannot do it: it only applies until the first segment leaves the
 * playlist, which in an EVENT playlist never happens. An audio rendition has no keyframes to wait for:
 * its segments are `firstSec` long throughout (1 s of AAC, about 16 kB at 128 kb/s).
 */
export function muxerSegmentSeconds(g: SegmentGrid): number {
  assertGrid(g);
  return g.firstSec;
}

/** Number of the segment that starts at `startSec`, a boundary of the grid (a chunk's first segment). */
export function segmentNumberAt(startSec: number, g: SegmentGrid): number {
  assertGrid(g);
  if (startSec === 0) return 0;
  if (startSec % g.segmentSec !== 0) throw new Error(`${startSec} s is not on the ${g.segmentSec} s segment grid`);
  return startSec / g.segmentSec + (isShortFirst(g) ? 1 : 0);
}

function assertGrid(g: SegmentGrid): void {
  // A first segment above 1 s (and below the others) would not be cut at the second boundary, and one
  // below 1 s would make every audio segment that short (see muxerSegmentSeconds).
  if (!(g.firstSec === g.segmentSec || (g.firstSec === 1 && g.segmentSec >= 2)))
    throw new Error(`a first segment of ${g.firstSec} s does not fit a ${g.segmentSec} s segment grid`);
}
