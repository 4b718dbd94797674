import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PlaylistGzip } from './playlist-gzip.js';

describe(PlaylistGzip.name, () => {
  const playlist = Buffer.from('#EXTM3U\n' + '#EXTINF:2.000,\nseg_00001.m4s\n'.repeat(200));

  it('gzips a playlist version once and gives the same bytes to the next request', () => {
    const gz = new PlaylistGzip();
    const first = gz.bytes('m/high/index.m3u8', '"a"', playlist);
    expect(gunzipSync(first).equals(playlist)).toBe(true);
    expect(first.length).toBeLessThan(playlist.length / 10);
    expect(gz.bytes('m/high/index.m3u8', '"a"', playlist)).toBe(first);
    const next = Buffer.concat([playlist, Buffer.from('#EXTINF:2.000,\nseg_00201.m4s\n')]);
    expect(gunzipSync(gz.bytes('m/high/index.m3u8', '"b"', next)).equals(next)).toBe(true);
  });

  it('keeps a bounded number of versions, dropping the least recently used', () => {
    const gz = new PlaylistGzip();
    const made = Array.from({ length: 256 }, (_, i) => gz.bytes(`k${i}`, '"0"', playlist));
    expect(gz.bytes('k0', '"0"', playlist)).toBe(made[0]); // used again: now the newest
    gz.bytes('k256', '"0"', playlist); // one too many: k1, the least recently used, goes
    expect(gz.bytes('k0', '"0"', playlist)).toBe(made[0]);
    expect(gz.bytes('k2', '"0"', playlist)).toBe(made[2]);
    expect(gz.bytes('k1', '"0"', playlist)).not.toBe(made[1]); // compressed again
  });
});
