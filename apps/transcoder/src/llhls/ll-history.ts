import { joinKey, type MediaStorage } from '../storage/media-storage.js';
import type { LlSegment } from './part-cutter.js';

/**
 * A low-latency live's segment list beyond its playlist's window, for the replay of a resumed live.
 *
 * The LL playlist lists only the last LL_WINDOW_SEGMENTS segments, and a worker that takes over a live
 * (the first one was killed) recovers its state from that playlist: without more, the replay of a
 * resumed live started at the window, and everything older stayed on storage unlisted. So, as the live
 * goes, each run writes the segment list in immutable chunks of HISTORY_CHUNK_SEGMENTS (chunk k: media
 * sequence numbers k x C to (k + 1) x C - 1, written once its last segment is complete), and a resume
 * reads the chunks before its window back. Chunks, not one growing file: a four-hour live would rewrite a
 * 600 KB list every second per rung (and on S3 upload it), where chunks cost one small object per 30 s.
 * What is not in a chunk yet (fewer than C segments) is in the window, since C <= the window. The chunks
 * go when the live's final playlist is written (they are only for a resume).
 */
// Fixed, not the window's length (it was, when the window was 30): chunks written before an upgrade are
// read back by a resume after it (parseChunk refuses a chunk of another length, and the replay would lose
// what came before). At most LL_WINDOW_SEGMENTS (ll-history.spec.ts).
export const HISTORY_CHUNK_SEGMENTS = 30;

/** What a chunk keeps of a segment: what the final playlist needs (no parts: they are gone by then). */
export type HistorySegment = Pick<LlSegment, 'msn' | 'uri' | 'durationSec' | 'discontinuity'>;

export const historyKey = (rungKey: string, chunk: number): string => joinKey(rungKey, `history_${String(chunk).padStart(5, '0')}.json`);

/**
 * Pure: the chunk that the segment `msn` completes, with its segments taken from `known` (any order), or
 * null when `msn` does not end a chunk or a segment of it is unknown (a resume that could not read the
 * whole history back: a chunk with a hole would make a later resume's replay skip it silently).
 */
export function completedChunk(msn: number, known: readonly HistorySegment[]): { chunk: number; segments: HistorySegment[] } | null {
  if ((msn + 1) % HISTORY_CHUNK_SEGMENTS !== 0) return null;
  const chunk = (msn + 1) / HISTORY_CHUNK_SEGMENTS - 1;
  const first = chunk * HISTORY_CHUNK_SEGMENTS;
  const byMsn = new Map(known.filter((s) => s.msn >= first && s.msn <= msn).map((s) => [s.msn, s]));
  const segments: HistorySegment[] = [];
  for (let n = first; n <= msn; n++) {
    const s = byMsn.get(n);
    if (!s) return null;
    segments.push({ msn: s.msn, uri: s.uri, durationSec: s.durationSec, ...(s.discontinuity ? { discontinuity: true } : {}) });
  }
  return { chunk, segments };
}

/** Pure: a stored chunk read back, or null when it is not one of ours (never build a replay on junk). */
export function parseChunk(text: string, chunk: number): HistorySegment[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== HISTORY_CHUNK_SEGMENTS) return null;
  const out: HistorySegment[] = [];
  for (const [i, s] of value.entries()) {
    if (typeof s !== 'object' || s === null) return null;
    const { msn, uri, durationSec, discontinuity } = s as Record<string, unknown>;
    if (msn !== chunk * HISTORY_CHUNK_SEGMENTS + i) return null;
    if (typeof uri !== 'string' || !/^seg_\d+\.m4s$/.test(uri)) return null;
    if (typeof durationSec !== 'number' || !(durationSec >= 0)) return null;
    if (discontinuity !== undefined && discontinuity !== true) return null;
    out.push({ msn, uri, durationSec, ...(discontinuity ? { discontinuity: true } : {}) });
  }
  return out;
}

/**
 * The segments before `firstMsn` (a resumed playlist's first), read from the chunks, oldest first: the
 * chunks from the one holding `firstMsn - 1` back to the first missing or unreadable one, so what comes
 * back always runs without a hole up to the window (all of the live when every chunk is there).
 */
export async function loadHistory(storage: MediaStorage, rungKey: string, firstMsn: number): Promise<HistorySegment[]> {
  const chunks: HistorySegment[][] = [];
  for (let chunk = Math.floor((firstMsn - 1) / HISTORY_CHUNK_SEGMENTS); chunk >= 0; chunk--) {
    const key = historyKey(rungKey, chunk);
    if ((await storage.size(key)) === undefined) break;
    const segments = parseChunk(await storage.readText(key), chunk);
    if (!segments) break;
    chunks.unshift(segments);
  }
  return chunks.flat().filter((s) => s.msn < firstMsn);
}
