import { describe, expect, it } from 'vitest';
import type { FetchErrorCode } from '../fetch.error.js';
import { assertImportableMedia } from './hls-media-rules.js';
import type { HlsMediaPlaylist } from './hls-playlist.parser.js';

const ok: HlsMediaPlaylist = {
  kind: 'media',
  segments: [
    { uri: 'https://cdn.example/0.ts', duration: 2, map: null },
    { uri: 'https://cdn.example/1.ts', duration: 2, map: null },
  ],
  encryption: null,
  usesByteRanges: false,
  ended: true,
  playlistType: null,
  durationSec: 4,
};

describe('assertImportableMedia', () => {
  it('accepts a finished list, ended or typed VOD', () => {
    expect(() => assertImportableMedia(ok)).not.toThrow();
    expect(() => assertImportableMedia({ ...ok, ended: false, playlistType: 'VOD' })).not.toThrow();
  });

  it.each<[string, Partial<HlsMediaPlaylist>, FetchErrorCode, string]>([
    ['encrypted', { encryption: 'AES-128' }, 'hls-encrypted', 'Encrypted HLS streams cannot be imported.'],
    [
      'byte ranges',
      { usesByteRanges: true },
      'hls-byte-ranges',
      'HLS streams that use byte ranges (EXT-X-BYTERANGE) cannot be imported yet.',
    ],
    ['live', { ended: false }, 'hls-live', 'Live streams cannot be imported, only finished videos.'],
    ['live event', { ended: false, playlistType: 'EVENT' }, 'hls-live', 'Live streams cannot be imported, only finished videos.'],
    ['empty', { segments: [] }, 'hls-empty', 'The stream has no segments.'],
    [
      'init switching',
      {
        segments: [
          { uri: 'https://a/0.m4s', duration: 2, map: 'https://a/i1.mp4' },
          { uri: 'https://a/1.m4s', duration: 2, map: 'https://a/i2.mp4' },
        ],
      },
      'hls-mixed-init',
      'HLS streams that switch initialisation segments (EXT-X-MAP) midway cannot be imported.',
    ],
  ])('refuses %s', (_name, change, code, sentence) => {
    expect(() => assertImportableMedia({ ...ok, ...change })).toThrow(expect.objectContaining({ code, userMessage: sentence }));
  });
});
