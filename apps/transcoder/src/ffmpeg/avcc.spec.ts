import { describe, expect, it } from 'vitest';
import { avcCodecString, findAvcC, videoCodecsFromInit } from './avcc.js';

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A minimal init segment: ftyp, then moov/trak/mdia/minf/stbl/stsd/avc1/avcC. */
function initWith(sampleEntry: string, record: number[]): Buffer {
  const avcC = box('avcC', Buffer.from(record));
  const entry = box(sampleEntry, Buffer.alloc(78), avcC);
  const stsd = box('stsd', Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), entry);
  const moov = box(
    'moov',
    box('mvhd', Buffer.alloc(100)),
    box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', box('minf', box('stbl', stsd)))),
  );
  return Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0', 'latin1')), moov]);
}

// configurationVersion 1, High (0x64), constraint flags 0, level 3.1 (0x1f), then lengthSize/SPS count.
const HIGH_31 = [1, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0x00, 0x00];

describe(videoCodecsFromInit.name, () => {
  it('reads avc1.PPCCLL from the avcC record', () => {
    expect(videoCodecsFromInit(initWith('avc1', HIGH_31))).toBe('avc1.64001f');
  });

  it('keeps constraint flags and pads single hex digits', () => {
    expect(videoCodecsFromInit(initWith('avc1', [1, 0x42, 0xc0, 0x0d, 0xff, 0xe1]))).toBe('avc1.42c00d');
  });

  it('finds avcC under avc3 sample entries too', () => {
    expect(videoCodecsFromInit(initWith('avc3', [1, 0x4d, 0x40, 0x28]))).toBe('avc1.4d4028');
  });

  it('fails clearly when there is no H.264 track', () => {
    const noAvc = Buffer.concat([box('ftyp', Buffer.alloc(8)), box('moov', box('trak', box('mdia')))]);
    expect(findAvcC(noAvc)).toBeUndefined();
    expect(() => videoCodecsFromInit(noAvc)).toThrow(/no avcC/);
  });

  it('stops at truncated boxes instead of reading past the buffer', () => {
    const init = initWith('avc1', HIGH_31);
    expect(findAvcC(init.subarray(0, init.length - 6))).toBeUndefined();
  });
});

describe(avcCodecString.name, () => {
  it('refuses records that are not version 1', () => {
    expect(() => avcCodecString(Buffer.from([0, 0x64, 0, 0x1f]))).toThrow();
  });
});
