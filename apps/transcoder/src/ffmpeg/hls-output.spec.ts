import { describe, expect, it } from 'vitest';
import { AAC_LC_CODECS } from './avcc.js';
import { needsInitForCodecs, playlistUriToKey, rungCodecsFrom } from './hls-output.js';

describe(playlistUriToKey.name, () => {
  const rung = 'm1/hls/high';
  const dir = '/srv/media/m1/hls/high';

  it("maps relative segment and init URIs into the rung, including ffmpeg's ../<rung>/init.mp4", () => {
    expect(playlistUriToKey(rung, dir, 'seg_00001.m4s')).toBe('m1/hls/high/seg_00001.m4s');
    expect(playlistUriToKey(rung, dir, '../high/init.mp4')).toBe('m1/hls/high/init.mp4');
  });

  it('maps absolute and file: URIs that point inside the rung folder', () => {
    expect(playlistUriToKey(rung, dir, '/srv/media/m1/hls/high/init_0.mp4')).toBe('m1/hls/high/init_0.mp4');
    expect(playlistUriToKey(rung, dir, 'file:/srv/media/m1/hls/high/init.mp4')).toBe('m1/hls/high/init.mp4');
  });

  it('refuses URIs that leave the rung', () => {
    for (const uri of [
      '../medium/init.mp4',
      '../../source',
      '/etc/passwd',
      'file:/srv/media/m1/source',
      '/srv/media/m1/hls/high',
      '.',
      'a/..',
    ]) {
      expect(() => playlistUriToKey(rung, dir, uri), uri).toThrow(/unexpected URI/);
    }
  });
});

describe(rungCodecsFrom.name, () => {
  it('needs no init segment for audio, and reads it for video', () => {
    expect(needsInitForCodecs('audio')).toBe(false);
    expect(rungCodecsFrom('audio', undefined)).toBe(AAC_LC_CODECS);
    expect(needsInitForCodecs('video+audio')).toBe(true);
    expect(() => rungCodecsFrom('video', undefined)).toThrow(/init segment/);
    expect(() => rungCodecsFrom('video', Buffer.alloc(16))).toThrow();
  });
});
