import { llPartUri } from '@reelroom/contracts';
import type { Fmp4Fragment } from './fmp4-splitter.js';

/** One LL-HLS partial segment: one fMP4 fragment, in its own file. */
export interface LlPart {
  /** Media sequence number of the segment it belongs to. */
  msn: number;
  /** Its index inside that segment (0 first). */
  index: number;
  uri: string;
  durationSec: number;
  /** Starts with a sync sample: `INDEPENDENT=YES`. */
  independent: boolean;
}

/** A complete media segment: the concatenation of its parts. */
export interface LlSegment {
  msn: number;
  uri: string;
  durationSec: number;
  parts: LlPart[];
  /** The first segment after a gap (a resumed live): EXT-X-DISCONTINUITY before it. */
  discontinuity?: boolean;
}

export type CutEvent = { type: 'part'; part: LlPart; bytes: Buffer } | { type: 'segment'; segment: LlSegment; bytes: Buffer };

/** Names inside a rung's folder: the same segment names as ffmpeg's HLS muxer, so the replay code reads both. */
export const segmentUri = (msn: number) => `seg_${String(msn).padStart(5, '0')}.m4s`;

/**
 * Pure: groups a rung's fragments into parts and segments. Every fragment is one part (ffmpeg cut it at
 * about the part length, and at every keyframe); a new segment starts at an independent fragment once the
 * open segment holds about `segmentSec` (within half a part: a video segment ends exactly at the forced
 * keyframe, an audio one at the AAC frame nearest the boundary). A video rung's keyframes are forced only
 * at segment boundaries, so its segments always start with one.
 */
export class PartCutter {
  private msn: number;
  private open: LlPart[] = [];
  private openBytes: Buffer[] = [];
  private openSec = 0;

  constructor(
    private readonly segmentSec: number,
    private readonly partTargetSec: number,
    /** A resumed live goes on after the last complete segment of the run before. */
    firstMsn = 0,
  ) {
    if (!(segmentSec > 0) || !(partTargetSec > 0) || partTargetSec > segmentSec) throw new Error('bad LL-HLS timing');
    if (!Number.isSafeInteger(firstMsn) || firstMsn < 0) throw new Error('bad first media sequence number');
    this.msn = firstMsn;
  }

  /**
   * What the next fragment will be: the preload hint. Once the open segment is full, the next
   * independent fragment (a video rung's forced keyframe) opens the next segment: hinting another part of
   * this one named a part that never comes (a player asking for it early got a 404).
   */
  get next(): { msn: number; index: number } {
    return this.isFull() ? { msn: this.msn + 1, index: 0 } : { msn: this.msn, index: this.open.length };
  }

  /** Parts of the segment still open, in order. */
  get openParts(): readonly LlPart[] {
    return this.open;
  }

  add(fragment: Fmp4Fragment): CutEvent[] {
    const events: CutEvent[] = [];
    if (fragment.independent && this.isFull()) {
      const done = this.close();
      if (done) events.push(done);
    }
    const part: LlPart = {
      msn: this.msn,
      index: this.open.length,
      uri: llPartUri(this.msn, this.open.length),
      durationSec: fragment.durationSec,
      independent: fragment.independent,
    };
    this.open.push(part);
    this.openBytes.push(fragment.bytes);
    this.openSec += fragment.durationSec;
    events.push({ type: 'part', part, bytes: fragment.bytes });
    return events;
  }

  /** The open segment holds about `segmentSec` (within half a part): it closes at the next independent fragment. */
  private isFull(): boolean {
    return this.open.length > 0 && this.openSec + this.partTargetSec / 2 >= this.segmentSec;
  }

  /** The stream ended: the open segment (if any) is complete as it is. */
  end(): CutEvent | undefined {
    return this.close();
  }

  private close(): CutEvent | undefined {
    if (this.open.length === 0) return undefined;
    const segment: LlSegment = { msn: this.msn, uri: segmentUri(this.msn), durationSec: this.openSec, parts: this.open };
    const bytes = Buffer.concat(this.openBytes);
    this.msn += 1;
    this.open = [];
    this.openBytes = [];
    this.openSec = 0;
    return { type: 'segment', segment, bytes };
  }
}
