import { HLS_SEGMENT_SECONDS } from './hls-command.js';
import type { LadderRung } from './ladder.js';
import { parseMediaPlaylist } from './media-playlist.js';
import { segmentNumberAt, type FirstSegmentSec } from './segment-grid.js';

/**
 * Chunked encoding (issue 11, reference/operations.md section 4): a long video is cut at the forced
 * keyframe grid into chunks of a whole number of segments, each encoded alone by whichever worker is
 * free, and stitched into one stream per rung that a player cannot tell from a single pass: the same
 * init segment, segment numbers, durations and timestamps (checked in chunked-encoding.test.ts).
 */
export interface ChunkSettings {
  /** Sources longer than this are chunked; 0 turns chunking off. */
  thresholdSec: number;
  /** Length of every chunk but the last: a multiple of the 2 s segment. */
  chunkSec: number;
}

export interface ChunkSpan {
  index: number;
  startSec: number;
  /** Absent for the last chunk: it runs to the end of the source, whatever the probe said. */
  endSec?: number;
  /** The chunk's first segment number (seg_%05d): the single pass's number for that time (segment-grid.ts). */
  startNumber: number;
}

/** The chunks of a source, or undefined when it is short enough for one pass (or chunking is off). */
export function planChunks(durationSec: number, settings: ChunkSettings, firstSegmentSec: FirstSegmentSec): ChunkSpan[] | undefined {
  if (settings.thresholdSec <= 0 || durationSec <= settings.thresholdSec) return undefined;
  return chunkSpans(durationSec, settings.chunkSec, firstSegmentSec);
}

/**
 * Spans of `chunkSec` from 0; a remainder shorter than half a chunk joins the last chunk rather than
 * becoming a chunk of its own (a few seconds of work is not worth a job). Chunks start on the 2 s grid
 * whatever the first segment's length: with a 1 s first segment, chunk 0 holds one segment more (its
 * keyframes are the single pass's, the short first segment included) and every later chunk's numbers
 * are one higher than startSec / 2.
 */
export function chunkSpans(durationSec: number, chunkSec: number, firstSegmentSec: FirstSegmentSec): ChunkSpan[] {
  if (chunkSec <= 0 || chunkSec % HLS_SEGMENT_SECONDS !== 0)
    throw new Error(`chunk length ${chunkSec} s is not a whole number of segments`);
  let count = Math.max(1, Math.floor(durationSec / chunkSec));
  if (durationSec - count * chunkSec >= chunkSec / 2) count++;
  return Array.from({ length: count }, (_, index) => {
    const startSec = index * chunkSec;
    const span: ChunkSpan = {
      index,
      startSec,
      startNumber: segmentNumberAt(startSec, { firstSec: firstSegmentSec, segmentSec: HLS_SEGMENT_SECONDS }),
    };
    if (index < count - 1) span.endSec = startSec + chunkSec;
    return span;
  });
}

/**
 * x264 at our preset (veryfast: 3 B-frames, b-pyramid) holds back two frames before the first one comes
 * out, so its first decode timestamp is two frames below zero and the single pass muxer shifts every
 * track of the output up by that much. A chunk that starts later has no negative timestamp to shift:
 * every chunk, and the separately encoded audio, is shifted by the same amount instead (measured: the
 * stitched timeline then equals the single pass one, sample for sample).
 */
export const REORDER_DELAY_FRAMES = 2;

/**
 * That shift in seconds as an exact ffmpeg expression: two frames of the slowest rung (the single pass
 * muxer shifts by the largest delay of its tracks), e.g. `2*1/(30000/1001)`.
 */
export function reorderShift(sourceFrameRate: string, ladder: readonly Pick<LadderRung, 'fpsDivisor'>[]): string {
  if (!/^\d+(\/\d+)?$/.test(sourceFrameRate)) throw new Error(`unexpected frame rate ${sourceFrameRate}`);
  const divisor = Math.max(1, ...ladder.map((r) => r.fpsDivisor));
  return `${REORDER_DELAY_FRAMES}*${divisor}/(${sourceFrameRate})`;
}

/** Folder (under the output) where chunk `index` keeps its own playlists and init segments. */
export const chunkStageName = (index: number): string => `parts/${index}`;
export const CHUNK_STAGE_ROOT = 'parts';
/** Written into a chunk's stage folder once its ffmpeg exited cleanly: its playlists are complete. */
export const CHUNK_DONE_NAME = 'done';

/**
 * How many chunks can be published: the longest run of finished chunks from the first. Later chunks that
 * finished early wait, so a playlist only ever grows at its end.
 */
export function publishablePrefix(done: readonly boolean[]): number {
  const firstMissing = done.indexOf(false);
  return firstMissing < 0 ? done.length : firstMissing;
}

/**
 * One rung's served playlist from its chunks' own playlists, in order: an EVENT playlist (a player polls
 * it while later chunks are encoded) with the same header, segment lines and numbering as ffmpeg's single
 * pass playlist, and `init.mp4` (every chunk writes the same init segment) as its map. The publisher makes
 * it VOD when the last chunk is in (toVodPlaylist).
 */
export function stitchPlaylists(chunkPlaylists: readonly string[], initUri: string): string {
  let target = 0;
  const body: string[] = [];
  for (const text of chunkPlaylists) {
    const m = /^#EXT-X-TARGETDURATION:(\d+)\s*$/m.exec(text);
    target = Math.max(target, m ? Number(m[1]) : 0);
    for (const seg of parseMediaPlaylist(text).segments) body.push(`#EXTINF:${seg.durationSec.toFixed(6)},`, seg.uri);
  }
  const head = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.max(target, HLS_SEGMENT_SECONDS)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${initUri}"`,
  ];
  return `${[...head, ...body].join('\n')}\n`;
}

/** Segments listed in a playlist (0 for none): a served playlist is never replaced by a shorter one. */
export function segmentCount(text: string | undefined): number {
  return text ? parseMediaPlaylist(text).segments.length : 0;
}
