import { describe, expect, it } from 'vitest';
import { sniff } from './file-sniffer.js';

const box = (type: string, rest = '') => {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(24, 0);
  b.write(type, 4, 'latin1');
  b.write(rest, 8, 'latin1');
  return b;
};

describe('sniff', () => {
  it('recognises ISO BMFF (mp4/mov) by its ftyp box', () => {
    expect(sniff(box('ftyp', 'isom'))).toEqual({ kind: 'video', container: 'mp4' });
    expect(sniff(box('moov'))).toEqual({ kind: 'video', container: 'mp4' });
  });

  it('recognises Matroska/WebM, AVI, FLV, Ogg, MPEG-PS and MPEG-TS', () => {
    expect(sniff(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]))).toMatchObject({ container: 'matroska' });
    expect(sniff(Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1'))).toMatchObject({ container: 'avi' });
    expect(sniff(Buffer.from('FLV\x01', 'latin1'))).toMatchObject({ container: 'flv' });
    expect(sniff(Buffer.from('OggS\0\x02', 'latin1'))).toMatchObject({ container: 'ogg' });
    expect(sniff(Buffer.from([0, 0, 1, 0xba, 0x44]))).toMatchObject({ container: 'mpeg-ps' });
    const ts = Buffer.alloc(400);
    ts[0] = ts[188] = ts[376] = 0x47;
    expect(sniff(ts)).toMatchObject({ kind: 'video', container: 'mpegts' });
  });

  it('classifies audio-only containers as audio', () => {
    expect(sniff(Buffer.from('ID3\x04\0\0', 'latin1'))).toMatchObject({ kind: 'audio', container: 'mp3' });
    expect(sniff(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toMatchObject({ kind: 'audio', container: 'wav' });
    expect(sniff(Buffer.from('fLaC\0', 'latin1'))).toMatchObject({ kind: 'audio', container: 'flac' });
  });

  it('refuses playlists, text, HTML and a lone TS sync byte', () => {
    for (const text of ['#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd', "ffconcat version 1.0\nfile '/etc/passwd'", '<html></html>', 'hello']) {
      expect(sniff(Buffer.from(text))).toEqual({ kind: 'unknown' });
    }
    expect(sniff(Buffer.from([0x47, 1, 2, 3]))).toEqual({ kind: 'unknown' });
  });

  it('reports an empty file as empty', () => {
    expect(sniff(Buffer.alloc(0))).toEqual({ kind: 'empty' });
  });
});
