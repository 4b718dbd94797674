/**
 * Just enough ISO-BMFF (fragmented MP4) reading for the I-frame playlists: each fragment's moof, its first
 * track run's samples with their byte ranges, durations and sync flags. ffmpeg writes one moof + mdat per
 * HLS segment, one track per file; the parser still walks every moof it finds.
 */

interface Box {
  type: string;
  start: number;
  body: number;
  end: number;
}

/** The boxes directly inside [start, end); stops at a box that runs past the buffer (a truncated head). */
export function childBoxes(buf: Buffer, start = 0, end = buf.length): Box[] {
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header) throw new Error(`bad ${type} box size ${size} at ${at}`);
    out.push({ type, start: at, body: at + header, end: at + size });
    at += size;
  }
  return out;
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  return childBoxes(buf, parent.body, Math.min(parent.end, buf.length)).find((b) => b.type === type);
}

function path(buf: Buffer, types: string[]): Box | undefined {
  let boxes = childBoxes(buf);
  let found: Box | undefined;
  for (const type of types) {
    found = boxes.find((b) => b.type === type);
    if (!found) return undefined;
    boxes = childBoxes(buf, found.body, Math.min(found.end, buf.length));
  }
  return found;
}

export interface TrackDefaults {
  timescale: number;
  duration: number;
  size: number;
  flags: number;
}

/** Timescale (mdhd) and the trex sample defaults of an init segment's (first) track. */
export function readInit(init: Buffer): TrackDefaults {
  const mdhd = path(init, ['moov', 'trak', 'mdia', 'mdhd']);
  if (!mdhd) throw new Error('init segment without mdhd');
  const timescale = init[mdhd.body] === 1 ? init.readUInt32BE(mdhd.body + 20) : init.readUInt32BE(mdhd.body + 12);
  const trex = path(init, ['moov', 'mvex', 'trex']);
  return trex
    ? {
        timescale,
        duration: init.readUInt32BE(trex.body + 12),
        size: init.readUInt32BE(trex.body + 16),
        flags: init.readUInt32BE(trex.body + 20),
      }
    : { timescale, duration: 0, size: 0, flags: 0 };
}

export interface Sample {
  /** Byte offset of the sample's data in the segment. */
  offset: number;
  size: number;
  /** Decode time in the track's timescale. */
  dts: number;
  /** Presentation time (dts + composition offset). */
  pts: number;
  duration: number;
  /** A sync sample (an IDR for H.264): sample_is_non_sync_sample clear. */
  sync: boolean;
}

export interface Fragment {
  /** Byte offset of the moof box. */
  moofStart: number;
  moofEnd: number;
  samples: Sample[];
}

const NON_SYNC = 0x10000;

/**
 * Every moof of a segment (or of the head of one: a moof whose box is cut off ends the list) with its
 * samples. Sample data offsets follow the trun's data_offset from the moof (default-base-is-moof, which
 * ffmpeg's fMP4 muxer sets) or the tfhd base offset when one is given.
 */
export function readFragments(seg: Buffer, defaults: TrackDefaults): Fragment[] {
  const out: Fragment[] = [];
  for (const moof of childBoxes(seg).filter((b) => b.type === 'moof')) {
    if (moof.end > seg.length) break;
    const traf = child(seg, moof, 'traf');
    const tfhd = traf && child(seg, traf, 'tfhd');
    if (!traf || !tfhd) continue;
    const tfhdFlags = seg.readUInt32BE(tfhd.body) & 0xffffff;
    let p = tfhd.body + 8;
    const u32 = () => {
      const v = seg.readUInt32BE(p);
      p += 4;
      return v;
    };
    let base = moof.start;
    if (tfhdFlags & 0x1) {
      base = Number(seg.readBigUInt64BE(p));
      p += 8;
    }
    if (tfhdFlags & 0x2) u32();
    const duration = tfhdFlags & 0x8 ? u32() : defaults.duration;
    const size = tfhdFlags & 0x10 ? u32() : defaults.size;
    const flags = tfhdFlags & 0x20 ? u32() : defaults.flags;
    const tfdt = child(seg, traf, 'tfdt');
    let dts = tfdt ? (seg[tfdt.body] === 1 ? Number(seg.readBigUInt64BE(tfdt.body + 4)) : seg.readUInt32BE(tfdt.body + 4)) : 0;
    const samples: Sample[] = [];
    for (const trun of childBoxes(seg, traf.body, traf.end).filter((b) => b.type === 'trun')) {
      const version = seg[trun.body];
      const f = seg.readUInt32BE(trun.body) & 0xffffff;
      const count = seg.readUInt32BE(trun.body + 4);
      p = trun.body + 8;
      // data_offset is signed; composition offsets are signed in version 1 (negative_cts_offsets).
      let offset = f & 0x1 ? base + (u32() | 0) : base;
      const firstFlags = f & 0x4 ? u32() : undefined;
      for (let i = 0; i < count; i++) {
        const d = f & 0x100 ? u32() : duration;
        const sz = f & 0x200 ? u32() : size;
        const own = f & 0x400 ? u32() : flags;
        const fl = i === 0 && firstFlags !== undefined ? firstFlags : own;
        const raw = f & 0x800 ? u32() : 0;
        const cto = version === 0 ? raw : raw | 0;
        samples.push({ offset, size: sz, dts, pts: dts + cto, duration: d, sync: (fl & NON_SYNC) === 0 });
        offset += sz;
        dts += d;
      }
    }
    out.push({ moofStart: moof.start, moofEnd: moof.end, samples });
  }
  return out;
}
