/**
 * Tiny fragmented-MP4 streams for the LL-HLS packager's specs: an init segment (ftyp + moov with mdhd and
 * trex) and fragments (moof with tfhd, tfdt, trun + mdat) as ffmpeg writes them to a pipe with
 * `frag_keyframe+empty_moov+default_base_moof`.
 */
export function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

export const u32 = (...values: number[]) =>
  Buffer.concat(values.map((v) => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])));

/** ftyp + moov: one track at `timescale`, trex default sample duration `defaultDuration`. */
export function initSegment(timescale: number, defaultDuration = 0): Buffer {
  const mdhd = box('mdhd', u32(0, 0, 0, timescale, 0), Buffer.alloc(4));
  const trex = box('trex', u32(0, 1, 1, defaultDuration, 0, 0x10000));
  const moov = box(
    'moov',
    box('mvhd', Buffer.alloc(100)),
    box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', mdhd)),
    box('mvex', trex),
  );
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0', 'latin1')), moov]);
}

const SYNC = 0x02000000;
const NON_SYNC = 0x01010000;

/**
 * moof + mdat: `samples` samples of `duration` ticks and 10 bytes each starting at decode time `dts`; the
 * first is a sync sample when `sync` (the rest never are: a video GOP), or every one is (`allSync`: audio).
 */
export function fragment(seq: number, dts: number, samples: number, duration: number, sync: boolean, allSync = false): Buffer {
  const mfhd = box('mfhd', u32(0, seq));
  const tfhd = box('tfhd', u32(0x020000, 1));
  const tfdt = box('tfdt', u32(0, dts));
  // Per-sample duration, size and flags (0x700) with a data offset (0x1).
  const entries: number[] = [];
  for (let i = 0; i < samples; i++) entries.push(duration, 10, allSync || (i === 0 && sync) ? SYNC : NON_SYNC);
  const trunBody = (dataOffset: number) => u32(0x000701, samples, dataOffset, ...entries);
  const moofSize = 8 + mfhd.length + 8 + tfhd.length + tfdt.length + 8 + trunBody(0).length;
  const trun = box('trun', trunBody(moofSize + 8));
  const moof = box('moof', mfhd, box('traf', tfhd, tfdt, trun));
  return Buffer.concat([moof, box('mdat', Buffer.alloc(samples * 10))]);
}
