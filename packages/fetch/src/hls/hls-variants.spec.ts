import { describe, expect, it } from 'vitest';
import { DEFAULT_HLS_LIMITS } from './hls-limits.js';
import type { HlsRendition, HlsVariant } from './hls-playlist.parser.js';
import { estimateBytes, hasMuxedAudio, hasVideo, rankVariants, withinPictureLimits } from './hls-variants.js';

const v = (over: Partial<HlsVariant>): HlsVariant => ({
  uri: 'https://cdn.example/v.m3u8',
  bandwidth: 1_000_000,
  averageBandwidth: null,
  width: null,
  height: null,
  codecs: null,
  audioGroup: null,
  ...over,
});

describe('variant rules', () => {
  it('knows audio-only variants by their codecs', () => {
    expect(hasVideo(v({ codecs: 'mp4a.40.2' }))).toBe(false);
    expect(hasVideo(v({ codecs: 'avc1.64001f,mp4a.40.2' }))).toBe(true);
    expect(hasVideo(v({ codecs: 'hvc1.1.6.L93.B0' }))).toBe(true);
    expect(hasVideo(v({}))).toBe(true);
    expect(hasVideo(v({ codecs: 'mp4a.40.2', width: 640, height: 360 }))).toBe(true);
  });

  it('knows when the sound lives in separate renditions', () => {
    const renditions: HlsRendition[] = [
      { type: 'AUDIO', groupId: 'ext', uri: 'https://cdn.example/a.m3u8' },
      { type: 'AUDIO', groupId: 'in', uri: null },
    ];
    expect(hasMuxedAudio(v({ audioGroup: 'ext' }), renditions)).toBe(false);
    expect(hasMuxedAudio(v({ audioGroup: 'in' }), renditions)).toBe(true);
    expect(hasMuxedAudio(v({}), renditions)).toBe(true);
  });

  it('keeps pictures within the limits', () => {
    expect(withinPictureLimits(v({ width: 3840, height: 2160 }), DEFAULT_HLS_LIMITS)).toBe(true);
    expect(withinPictureLimits(v({ width: 2160, height: 3840 }), DEFAULT_HLS_LIMITS)).toBe(true);
    expect(withinPictureLimits(v({ width: 7680, height: 4320 }), DEFAULT_HLS_LIMITS)).toBe(false);
    expect(withinPictureLimits(v({ width: 4096, height: 4096 }), DEFAULT_HLS_LIMITS)).toBe(false);
    expect(withinPictureLimits(v({}), DEFAULT_HLS_LIMITS)).toBe(true);
  });

  it('estimates bytes from the average bandwidth, else the peak', () => {
    expect(estimateBytes(v({ bandwidth: 8_000_000, averageBandwidth: 4_000_000 }), 10)).toBe(5_000_000);
    expect(estimateBytes(v({ bandwidth: 8_000_000 }), 10)).toBe(10_000_000);
  });
});

describe('rankVariants', () => {
  it('puts the largest picture within limits first, video before audio-only, sound in the segments before separate sound', () => {
    const renditions: HlsRendition[] = [{ type: 'AUDIO', groupId: 'ext', uri: 'https://cdn.example/a.m3u8' }];
    const list = [
      v({ uri: 'audio', codecs: 'mp4a.40.2', bandwidth: 128_000 }),
      v({ uri: '360', width: 640, height: 360, bandwidth: 800_000 }),
      v({ uri: '8k', width: 7680, height: 4320, bandwidth: 50_000_000 }),
      v({ uri: '1080-demuxed', width: 1920, height: 1080, bandwidth: 6_000_000, audioGroup: 'ext' }),
      v({ uri: '720', width: 1280, height: 720, bandwidth: 2_500_000 }),
      v({ uri: '720-hi', width: 1280, height: 720, bandwidth: 3_500_000 }),
    ];
    expect(rankVariants(list, renditions, DEFAULT_HLS_LIMITS).map((x) => x.uri)).toEqual(['720-hi', '720', '360', '1080-demuxed', 'audio']);
  });

  it('returns nothing when every variant is too large a picture', () => {
    expect(rankVariants([v({ width: 7680, height: 4320 })], [], DEFAULT_HLS_LIMITS)).toEqual([]);
  });
});
