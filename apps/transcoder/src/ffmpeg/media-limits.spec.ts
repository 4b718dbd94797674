import { describe, expect, it } from 'vitest';
import type { MediaInfo } from './media-info.js';
import { assertWithinLimits, formatDuration, PROBE_FORMAT_WHITELIST, type TranscodeLimits } from './media-limits.js';
import { MediaRejectedError } from './media-rejected.error.js';

const limits: TranscodeLimits = { maxDurationSec: 4 * 3600, maxWidth: 1920, maxHeight: 1080, maxFps: 60, maxStreams: 4, timeoutMs: 60_000 };

function media(overrides: Partial<MediaInfo> = {}): MediaInfo {
  return {
    durationSec: 60,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    streamCount: 2,
    video: { index: 0, codec: 'h264', width: 1920, height: 1080, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0 },
    audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 },
    ...overrides,
  };
}

function rejection(info: MediaInfo, within: TranscodeLimits = limits): string {
  try {
    assertWithinLimits(info, within);
  } catch (err) {
    expect(err).toBeInstanceOf(MediaRejectedError);
    return (err as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('PROBE_FORMAT_WHITELIST', () => {
  it('lists the first demuxer name of every allowed format and none of the playlist demuxers', () => {
    expect(PROBE_FORMAT_WHITELIST.split(',')).toEqual([
      'mov',
      'matroska',
      'avi',
      'flv',
      'mpegts',
      'mpeg',
      'ogg',
      'asf',
      'wav',
      'mp3',
      'aac',
      'flac',
    ]);
  });
});

describe(assertWithinLimits.name, () => {
  it('accepts an ordinary 1080p mp4, a portrait phone video and a Matroska file', () => {
    expect(() => assertWithinLimits(media(), limits)).not.toThrow();
    const portrait = media();
    portrait.video = { ...portrait.video!, width: 1080, height: 1920 };
    expect(() => assertWithinLimits(portrait, limits)).not.toThrow();
    expect(() => assertWithinLimits(media({ formatName: 'matroska,webm' }), limits)).not.toThrow();
  });

  it.each(['hls', 'concat', 'image2', 'lavfi', 'tty', 'image2pipe', 'mov'])('refuses the %s demuxer', (formatName) => {
    expect(rejection(media({ formatName }))).toMatch(`the "${formatName}" format is not supported`);
  });

  it('accepts audio-only files (mp3, flac, ogg, m4a) within the duration limit', () => {
    for (const formatName of ['mp3', 'flac', 'ogg', 'mov,mp4,m4a,3gp,3g2,mj2', 'wav']) {
      expect(() => assertWithinLimits(media({ formatName, video: undefined }), limits)).not.toThrow();
    }
    expect(rejection(media({ formatName: 'mp3', video: undefined, durationSec: 5 * 3600 }))).toBe(
      'This recording is 5 h long; the limit is 4 h. Trim it and try again.',
    );
    expect(rejection(media({ formatName: 'mp3', video: undefined, durationSec: 0 }))).toMatch(/its length is unknown/);
  });

  it('refuses files with neither a video nor an audio stream, saying why', () => {
    expect(rejection(media({ video: undefined, audio: undefined }))).toBe(
      'This file is not a video we can read (no video or audio stream found).',
    );
  });

  it('names the duration limit', () => {
    expect(rejection(media({ durationSec: 5 * 3600 + 180 }))).toBe(
      'This video is 5 h 3 min long; the limit is 4 h. Trim it and try again.',
    );
  });

  it('names the resolution limit', () => {
    const big = media();
    big.video = { ...big.video!, width: 3840, height: 2160 };
    expect(rejection(big)).toMatch(/3840x2160; the largest size we accept is 1920x1080/);
  });

  it('refuses a picture larger than 4K in area even when each side is within the limits', () => {
    const square = media();
    square.video = { ...square.video!, width: 4096, height: 4096 };
    const wide = { ...limits, maxWidth: 4096, maxHeight: 4096 };
    expect(rejection(square, wide)).toBe(
      'This video is 4096x4096; the largest picture we accept is 4K (4096x2160). Export it at a smaller resolution and try again.',
    );
    const dci = media();
    dci.video = { ...dci.video!, width: 4096, height: 2160 };
    expect(() => assertWithinLimits(dci, wide)).not.toThrow();
  });

  it('names a configured picture area ceiling in megapixels', () => {
    const hd = media();
    expect(rejection(hd, { ...limits, maxPixels: 1280 * 720 })).toBe(
      'This video is 1920x1080; the largest picture we accept is 0.92 megapixels. Export it at a smaller resolution and try again.',
    );
  });

  it('names the frame rate limit', () => {
    const fast = media();
    fast.video = { ...fast.video!, fps: 120, frameRate: '120/1' };
    expect(rejection(fast)).toMatch(/120 frames per second; the limit is 60/);
    const ntsc60 = media();
    ntsc60.video = { ...ntsc60.video!, fps: 60000 / 1001, frameRate: '60000/1001' };
    expect(() => assertWithinLimits(ntsc60, limits)).not.toThrow();
  });

  it('names the stream count limit', () => {
    expect(rejection(media({ streamCount: 12 }))).toMatch(/12 streams; we accept at most 4/);
  });

  it('refuses files whose length, size or frame rate is unknown', () => {
    expect(rejection(media({ durationSec: 0 }))).toMatch(/length is unknown/);
    const noRate = media();
    noRate.video = { ...noRate.video!, fps: 0, frameRate: '0/1' };
    expect(rejection(noRate)).toMatch(/frame rate is unknown/);
    const noSize = media();
    noSize.video = { ...noSize.video!, width: 0 };
    expect(rejection(noSize)).toMatch(/picture size is unknown/);
  });
});

describe(formatDuration.name, () => {
  it('writes durations the way people say them', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(95)).toBe('1 min 35 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(5400)).toBe('1 h 30 min');
  });
});
