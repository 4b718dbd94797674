import type { LlPart, LlSegment } from './part-cutter.js';

/** The rung's timing as the playlist declares it (fixed for the whole live: a player never sees it change). */
export interface LlTiming {
  /** EXT-X-TARGETDURATION (integer seconds, at least every segment's EXTINF rounded). */
  targetDurationSec: number;
  /** EXT-X-PART-INF PART-TARGET: at least every part's duration. */
  partTargetSec: number;
}

export interface LlPlaylistInput extends LlTiming {
  /** Complete segments still in the window, oldest first (their msn are consecutive). */
  segments: readonly LlSegment[];
  /** Parts of the segment being written (its msn follows the last complete segment's). */
  openParts: readonly LlPart[];
  /** The open segment is the first after a gap (a resume that has not closed a segment yet). */
  openDiscontinuity?: boolean;
  /** EXT-X-DISCONTINUITY-SEQUENCE: discontinuities before the first listed segment (RFC 8216bis 4.4.3.3). */
  discontinuitySequence?: number;
  /** The part the packager writes next: EXT-X-PRELOAD-HINT. */
  next: { msn: number; index: number; uri: string };
  initUri: string;
  /** Parts are listed for segments this close to the live edge (RFC 8216bis 6.2.2: at least three target durations). */
  partSegments: number;
}

/**
 * PART-HOLD-BACK: how far behind the edge a player starts (RFC 8216bis 4.4.3.8: at least twice the part
 * target, three times recommended; hls.js takes it as its target latency).
 */
export const partHoldBack = (partTargetSec: number) => round3(partTargetSec * 3);

/** CAN-SKIP-UNTIL: the smallest RFC 8216bis 4.4.3.8 allows (six target durations), so a delta update of the window lists only the last six segments. */
export const canSkipUntil = (targetDurationSec: number) => targetDurationSec * 6;

/**
 * Pure: the PART-TARGET to declare for fragments cut every `fragmentSec` from tracks whose frames last
 * `frameSecs` (video frames, 1024-sample AAC frames): ffmpeg closes a fragment at the first frame at or
 * after `fragmentSec`, so a part lasts at most one frame more. Rounded up to the millisecond.
 */
export function partTargetFor(fragmentSec: number, frameSecs: readonly number[]): number {
  return Math.ceil((fragmentSec + Math.max(0, ...frameSecs)) * 1000) / 1000;
}

/**
 * Pure: a rung's live LL-HLS media playlist (RFC 8216bis, version 9): the window of complete segments,
 * EXT-X-PART tags for the segments near the edge and the open one, and the preload hint of the next
 * part. Blocking reload is supported (the API holds `_HLS_msn`/`_HLS_part` requests), and delta updates
 * (the API answers `_HLS_skip` with the older segments as one EXT-X-SKIP: playlist-delta.ts).
 */
export function buildLlPlaylist(p: LlPlaylistInput): string {
  const first = p.segments[0]?.msn ?? p.next.msn;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:9',
    `#EXT-X-TARGETDURATION:${p.targetDurationSec}`,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=${canSkipUntil(p.targetDurationSec)},PART-HOLD-BACK=${fmt(partHoldBack(p.partTargetSec))}`,
    `#EXT-X-PART-INF:PART-TARGET=${fmt(p.partTargetSec)}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    ...discontinuitySequenceTag(p.discontinuitySequence),
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${p.initUri}"`,
  ];
  const partsFrom = p.next.msn - p.partSegments;
  for (const s of p.segments) {
    // The tag precedes the segment's first part as well as its EXTINF (RFC 8216bis 4.4.4.9).
    if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (s.msn >= partsFrom) lines.push(...s.parts.map(partTag));
    lines.push(`#EXTINF:${fmt(s.durationSec, 5)},`, s.uri);
  }
  if (p.openDiscontinuity) lines.push('#EXT-X-DISCONTINUITY');
  lines.push(...p.openParts.map(partTag));
  lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${p.next.uri}"`);
  return `${lines.join('\n')}\n`;
}

/**
 * Pure: the playlist a rung is left with when the live ends: every segment, no LL tags, an EVENT playlist
 * as ffmpeg's own live output is, which the replay step then rewrites as VOD (toVodPlaylist).
 */
export function buildFinalPlaylist(
  timing: Pick<LlTiming, 'targetDurationSec'>,
  // What a replay lists of a segment (its parts are gone by then): a resumed live's history has no more.
  segments: readonly Pick<LlSegment, 'msn' | 'uri' | 'durationSec' | 'discontinuity'>[],
  initUri: string,
  discontinuitySequence = 0,
): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${timing.targetDurationSec}`,
    `#EXT-X-MEDIA-SEQUENCE:${segments[0]?.msn ?? 0}`,
    ...discontinuitySequenceTag(discontinuitySequence),
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${initUri}"`,
    ...segments.flatMap((s) => [...(s.discontinuity ? ['#EXT-X-DISCONTINUITY'] : []), `#EXTINF:${fmt(s.durationSec, 5)},`, s.uri]),
  ];
  return `${lines.join('\n')}\n`;
}

/** Only when something slid out: a playlist without gaps stays as it was. */
const discontinuitySequenceTag = (n = 0) => (n > 0 ? [`#EXT-X-DISCONTINUITY-SEQUENCE:${n}`] : []);

function partTag(part: LlPart): string {
  return `#EXT-X-PART:DURATION=${fmt(part.durationSec, 5)},URI="${part.uri}"${part.independent ? ',INDEPENDENT=YES' : ''}`;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
/** Decimal seconds without float noise or trailing zeros. */
const fmt = (n: number, digits = 3) => String(Number(n.toFixed(digits)));
