import { describe, expect, it } from 'vitest';
import { looksLikePlaylist } from './hls-detect.js';

describe('looksLikePlaylist', () => {
  it.each([
    ['application/vnd.apple.mpegurl', ''],
    ['application/x-mpegURL; charset=utf-8', ''],
    ['audio/mpegurl', ''],
    ['text/plain', '#EXTM3U\n#EXT-X-VERSION:3'],
    [null, '\uFEFF  \n#EXTM3U'],
    ['application/octet-stream', '#EXTM3U'],
  ])('sees a playlist in %j / %j', (type, body) => {
    expect(looksLikePlaylist(type, Buffer.from(body))).toBe(true);
  });

  it.each([
    ['video/mp4', '\0\0\0 ftypisom'],
    ['text/html', '<!doctype html>'],
    [null, ''],
    ['application/octet-stream', 'G@\0\x10'],
  ])('sees no playlist in %j / %j', (type, body) => {
    expect(looksLikePlaylist(type, Buffer.from(body))).toBe(false);
  });
});
