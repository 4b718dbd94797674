import type { HistorySegment } from './ll-history.js';
import type { LlPart, LlSegment } from './part-cutter.js';

/** What a new worker takes over from the LL playlist a dead one left on storage. */
export interface LlResumeState {
  /** Complete segments still listed (oldest first, consecutive msn), with their listed parts and gaps. */
  segments: LlSegment[];
  /** EXT-X-DISCONTINUITY-SEQUENCE of the stored playlist (discontinuities already slid out of its window). */
  discontinuitySequence: number;
  /** The msn the new run writes first: right after the last complete segment. */
  nextMsn: number;
  /** Part files of the dead worker's open segment: never completed, the new run drops them (and reuses the msn). */
  staleParts: string[];
  /** The segments before `segments` (slid out of the window), read back from the history chunks (ll-history.ts). */
  history?: HistorySegment[];
  /** What the runs before wrote of this output (init and segments, not parts), estimated: LIVE_MAX_DISK_MB counts it. */
  priorBytes?: number;
}

/**
 * Pure: the packager state recovered from a stored LL-HLS media playlist (ours: buildLlPlaylist). Only
 * complete segments (an EXTINF and a URI) are kept; parts after the last one belonged to a segment the
 * dead worker never closed. Throws on text that is not a media playlist, so a resume never builds on junk.
 */
export function recoverLlState(text: string): LlResumeState {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist');
  let msn = 0;
  let discontinuitySequence = 0;
  let pendingParts: LlPart[] = [];
  let pendingGap = false;
  let duration: number | undefined;
  const segments: LlSegment[] = [];
  for (const line of lines) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) msn = nonNegativeInt(line.slice(22));
    else if (line.startsWith('#EXT-X-DISCONTINUITY-SEQUENCE:')) discontinuitySequence = nonNegativeInt(line.slice(30));
    else if (line === '#EXT-X-DISCONTINUITY') pendingGap = true;
    else if (line.startsWith('#EXT-X-PART:')) pendingParts.push(parsePart(line.slice(12), msn, pendingParts.length));
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line !== '' && !line.startsWith('#') && duration !== undefined) {
      if (!(duration >= 0)) throw new Error(`bad EXTINF before ${line}`);
      segments.push({ msn, uri: line, durationSec: duration, parts: pendingParts, ...(pendingGap ? { discontinuity: true } : {}) });
      msn += 1;
      pendingParts = [];
      pendingGap = false;
      duration = undefined;
    }
  }
  return { segments, discontinuitySequence, nextMsn: msn, staleParts: pendingParts.map((p) => p.uri) };
}

function parsePart(attributes: string, msn: number, index: number): LlPart {
  const uri = /URI="([^"]+)"/.exec(attributes)?.[1];
  const durationSec = Number.parseFloat(/DURATION=([\d.]+)/.exec(attributes)?.[1] ?? '');
  if (!uri || !(durationSec >= 0)) throw new Error(`bad EXT-X-PART: ${attributes}`);
  return { msn, index, uri, durationSec, independent: attributes.includes('INDEPENDENT=YES') };
}

function nonNegativeInt(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`bad playlist number: ${text}`);
  return n;
}
