import { childBoxes, readFragments, readInit, type TrackDefaults } from '../ffmpeg/fmp4.js';

/** One moof + mdat pair as ffmpeg flushed it (`-movflags frag_keyframe+empty_moov+default_base_moof`). */
export interface Fmp4Fragment {
  /** The moof and mdat boxes, byte for byte: a part, and a piece of its segment. */
  bytes: Buffer;
  /** Decode time of the first sample, in seconds (tfdt / timescale). */
  startSec: number;
  /** Sum of the sample durations, in seconds. */
  durationSec: number;
  /** The first sample is a sync sample (an IDR for video; every AAC frame is one). */
  independent: boolean;
}

export type Fmp4Event = { type: 'init'; bytes: Buffer } | ({ type: 'fragment' } & Fmp4Fragment);

/** No box we read is anywhere near this: a stream that says so is not ffmpeg's fMP4 (or is broken). */
const MAX_BOX_BYTES = 64 * 1024 * 1024;

/**
 * Pure: cuts a fragmented-MP4 byte stream (one track, as ffmpeg writes it to a pipe) into its init segment
 * (ftyp + moov) and its fragments (moof + mdat), whatever the chunking of the pipe. Bytes are buffered
 * only until the box they belong to is complete; anything else at the top level (free, sidx, mfra at the
 * end) is dropped.
 */
export class Fmp4Splitter {
  private pending: Buffer = Buffer.alloc(0);
  private initParts: Buffer[] = [];
  private defaults: TrackDefaults | undefined;
  private moof: Buffer | undefined;

  /** Feeds the next chunk of the stream; returns what it completed, in order. */
  push(chunk: Buffer): Fmp4Event[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const events: Fmp4Event[] = [];
    for (;;) {
      const box = this.nextBox();
      if (!box) break;
      const event = this.take(box.type, box.bytes);
      if (event) events.push(event);
    }
    return events;
  }

  /** True when the stream ended inside a box (what is left is lost: ffmpeg was killed mid-write). */
  get truncated(): boolean {
    return this.pending.length > 0;
  }

  private nextBox(): { type: string; bytes: Buffer } | undefined {
    if (this.pending.length < 8) return undefined;
    let size = this.pending.readUInt32BE(0);
    const type = this.pending.toString('latin1', 4, 8);
    if (size === 1) {
      if (this.pending.length < 16) return undefined;
      size = Number(this.pending.readBigUInt64BE(8));
    }
    // size 0 ("to the end of the file") never comes from a pipe: the muxer cannot know the end.
    if (size < 8 || size > MAX_BOX_BYTES) throw new Error(`unexpected ${JSON.stringify(type)} box of ${size} bytes in the fMP4 stream`);
    if (this.pending.length < size) return undefined;
    const bytes = this.pending.subarray(0, size);
    this.pending = this.pending.subarray(size);
    return { type, bytes };
  }

  private take(type: string, bytes: Buffer): Fmp4Event | undefined {
    if (type === 'ftyp') {
      this.initParts = [bytes];
      return undefined;
    }
    if (type === 'moov') {
      const init = Buffer.concat([...this.initParts, bytes]);
      this.defaults = readInit(init);
      return { type: 'init', bytes: init };
    }
    if (type === 'moof') {
      this.moof = bytes;
      return undefined;
    }
    if (type !== 'mdat' || !this.moof) return undefined;
    if (!this.defaults) throw new Error('an fMP4 fragment came before the init segment');
    const fragment = Buffer.concat([this.moof, bytes]);
    this.moof = undefined;
    return { type: 'fragment', ...describeFragment(fragment, this.defaults) };
  }
}

/** Pure: start, duration and independence of one moof + mdat, from its track run(s). */
export function describeFragment(bytes: Buffer, defaults: TrackDefaults): Fmp4Fragment {
  if (childBoxes(bytes)[0]?.type !== 'moof') throw new Error('a fragment starts with its moof');
  const samples = readFragments(bytes, defaults).flatMap((f) => f.samples);
  const first = samples[0];
  if (!first) throw new Error('an fMP4 fragment without samples');
  const ticks = samples.reduce((t, s) => t + s.duration, 0);
  return {
    bytes,
    startSec: first.dts / defaults.timescale,
    durationSec: ticks / defaults.timescale,
    independent: first.sync,
  };
}
