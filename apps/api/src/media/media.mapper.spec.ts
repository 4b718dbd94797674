import { describe, expect, it } from 'vitest';
import { cleanOriginalName, toMediaView } from './media.mapper.js';
import type { MediaRecord } from './media.repository.js';

const record = (over: Partial<MediaRecord> = {}): MediaRecord => ({
  id: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11',
  roomId: 'r'.repeat(22),
  uploaderId: 'u',
  originalName: 'clip.mp4',
  sizeBytes: 1234n,
  status: 'queued',
  kind: 'video',
  progress: 0,
  sourceUrl: null,
  importedBytes: null,
  importTotalBytes: null,
  etaSec: null,
  playable: false,
  hasPoster: false,
  hasStoryboard: false,
  storageId: null,
  processingStartedAt: null,
  error: null,
  durationSec: null,
  width: null,
  height: null,
  renditions: [],
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:01Z'),
  ...over,
});

describe('toMediaView', () => {
  it('gives a playback URL only when the media is ready', () => {
    expect(toMediaView(record()).playbackUrl).toBeNull();
    const ready = toMediaView(record({ status: 'ready', renditions: [{ name: 'high', width: 1280, height: 720, bitrate: 2_000_000 }] }));
    expect(ready.playbackUrl).toBe('/media/7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11/master.m3u8');
    expect(ready.renditions).toEqual([{ name: 'high', width: 1280, height: 720, bitrate: 2_000_000 }]);
    expect(ready.sizeBytes).toBe(1234);
  });

  it('gives a playback URL while processing once the media is playable', () => {
    expect(toMediaView(record({ status: 'processing', playable: false })).playbackUrl).toBeNull();
    const early = toMediaView(record({ status: 'processing', playable: true, etaSec: 12 }));
    expect(early).toMatchObject({ playable: true, etaSec: 12, playbackUrl: '/media/7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11/master.m3u8' });
    expect(toMediaView(record({ status: 'failed', playable: true })).playbackUrl).toBeNull();
  });

  it('links poster and storyboard only once they exist, and a queue position only while queued', () => {
    expect(toMediaView(record()).posterUrl).toBeNull();
    const v = toMediaView(record({ status: 'ready', hasPoster: true, hasStoryboard: true }), 3);
    expect(v.posterUrl).toBe('/media/7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11/poster.jpg');
    expect(v.storyboardUrl).toBe('/media/7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11/storyboard.vtt');
    expect(v.queuePosition).toBeNull();
    expect(toMediaView(record(), 3).queuePosition).toBe(3);
  });

  it('shows an error only for failed media, with a fallback sentence', () => {
    expect(toMediaView(record({ status: 'processing', error: 'stale' })).error).toBeNull();
    expect(toMediaView(record({ status: 'failed', error: null })).error).toBe('Transcoding failed.');
    expect(toMediaView(record({ status: 'failed', error: 'No video stream.' })).error).toBe('No video stream.');
  });

  it('drops malformed rendition JSON instead of passing it to clients', () => {
    expect(toMediaView(record({ renditions: [{ name: 'huge', width: -1 }] })).renditions).toEqual([]);
  });
});

describe('cleanOriginalName', () => {
  it('keeps only the last path component and strips control and bidi characters', () => {
    expect(cleanOriginalName('../../etc/passwd')).toBe('passwd');
    expect(cleanOriginalName('C:\\Users\\me\\film.mp4')).toBe('film.mp4');
    expect(cleanOriginalName('a\u0000b\u202ec.mp4')).toBe('abc.mp4');
    expect(cleanOriginalName('concat:a.mp4|b.mp4')).toBe('concat:a.mp4|b.mp4');
    expect(cleanOriginalName('Ünïcødé 映画.mkv')).toBe('Ünïcødé 映画.mkv');
  });

  it('falls back to "upload" and caps the length at 255', () => {
    expect(cleanOriginalName(undefined)).toBe('upload');
    expect(cleanOriginalName('///')).toBe('upload');
    expect(cleanOriginalName('x'.repeat(400))).toHaveLength(255);
  });
});
