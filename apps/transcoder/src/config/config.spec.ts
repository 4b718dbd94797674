import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe(loadConfig.name, () => {
  it('has a default for every limit, and no binary paths unless set', () => {
    const c = loadConfig({});
    expect(c.limits).toEqual({
      maxDurationSec: 21_600,
      maxWidth: 4096,
      maxHeight: 4096,
      maxPixels: 4096 * 2160,
      maxFps: 120,
      maxStreams: 16,
      timeoutMs: 21_600_000,
      probeTimeoutMs: 60_000,
      artworkTimeoutMs: 60_000,
    });
    expect(c.ffmpegPath).toBeUndefined();
    expect(c.ffprobePath).toBeUndefined();
    expect(loadConfig({ FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/ff/ffprobe' })).toMatchObject({
      ffmpegPath: '/opt/ff/ffmpeg',
      ffprobePath: '/opt/ff/ffprobe',
    });
  });

  it('runs two lives at once by default and stops a live after 12 h, at most 24 h', () => {
    expect(loadConfig({})).toMatchObject({ liveConcurrency: 2, liveMaxDurationSec: 43_200 });
    expect(loadConfig({ LIVE_CONCURRENCY: '1', LIVE_MAX_DURATION_SEC: '3600' })).toMatchObject({
      liveConcurrency: 1,
      liveMaxDurationSec: 3600,
    });
    expect(() => loadConfig({ LIVE_MAX_DURATION_SEC: String(25 * 3600) })).toThrow(/LIVE_MAX_DURATION_SEC/);
  });

  it('gives chunked audio parts one slot of their own by default; 0 puts them back on the media queue; at most 8', () => {
    expect(loadConfig({}).audioConcurrency).toBe(1);
    expect(loadConfig({ TRANSCODE_AUDIO_CONCURRENCY: '0' }).audioConcurrency).toBe(0);
    expect(() => loadConfig({ TRANSCODE_AUDIO_CONCURRENCY: '9' })).toThrow(/TRANSCODE_AUDIO_CONCURRENCY/);
    expect(() => loadConfig({ TRANSCODE_AUDIO_CONCURRENCY: '-1' })).toThrow(/TRANSCODE_AUDIO_CONCURRENCY/);
  });

  it('consumes every queue unless TRANSCODER_QUEUES names some, and refuses unknown or empty lists', () => {
    expect(loadConfig({}).queues).toEqual(['media', 'live', 'media-import']);
    expect(loadConfig({ TRANSCODER_QUEUES: ' live ' }).queues).toEqual(['live']);
    expect(loadConfig({ TRANSCODER_QUEUES: 'media,media-import,media' }).queues).toEqual(['media', 'media-import']);
    expect(() => loadConfig({ TRANSCODER_QUEUES: 'media,vod' })).toThrow(/TRANSCODER_QUEUES.*one of media, live, media-import/);
    expect(() => loadConfig({ TRANSCODER_QUEUES: ',' })).toThrow(/TRANSCODER_QUEUES.*at least one queue/);
  });

  it('starts uploads with a 1 s first segment by default; 2 restores the uniform grid; nothing else is accepted', () => {
    expect(loadConfig({}).firstSegmentSec).toBe(1);
    expect(loadConfig({ FIRST_SEGMENT_SEC: '2' }).firstSegmentSec).toBe(2);
    expect(() => loadConfig({ FIRST_SEGMENT_SEC: '1.5' })).toThrow(/FIRST_SEGMENT_SEC/);
    expect(() => loadConfig({ FIRST_SEGMENT_SEC: '0' })).toThrow(/FIRST_SEGMENT_SEC/);
  });

  it('gives running jobs 20 s after SIGTERM by default', () => {
    expect(loadConfig({}).shutdownGraceMs).toBe(20_000);
    expect(loadConfig({ SHUTDOWN_GRACE_SEC: '0' }).shutdownGraceMs).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_GRACE_SEC: '-1' })).toThrow(/SHUTDOWN_GRACE_SEC/);
  });

  it('lists every bad limit at once', () => {
    const bad = () =>
      loadConfig({ MAX_SOURCE_STREAMS: '100', MAX_SOURCE_FPS: '0', TRANSCODE_TIMEOUT_SEC: String(21 * 3600), PROBE_TIMEOUT_SEC: 'soon' });
    expect(bad).toThrow(ConfigError);
    const message = (() => {
      try {
        bad();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    for (const name of ['MAX_SOURCE_STREAMS', 'MAX_SOURCE_FPS', 'TRANSCODE_TIMEOUT_SEC', 'PROBE_TIMEOUT_SEC'])
      expect(message).toContain(name);
  });

  it('reads the import settings (concurrency, ports) and refuses the test allowance outside NODE_ENV=test', () => {
    expect(loadConfig({}).import).toMatchObject({ concurrency: 2, allowedPorts: [80, 443], testAllowAddresses: [] });
    expect(loadConfig({ IMPORT_CONCURRENCY: '4' }).import.concurrency).toBe(4);
    expect(() => loadConfig({ IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1' })).toThrow(/IMPORT_TEST_ALLOW_ADDRESSES is for tests only/);
    expect(loadConfig({ NODE_ENV: 'test', IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1' }).import.testAllowAddresses).toEqual(['127.0.0.1']);
  });

  it('keeps media on local disk by default; STORAGE=s3 needs a bucket and both keys or neither', () => {
    expect(loadConfig({}).storage).toEqual({ kind: 'local' });
    expect(
      loadConfig({
        STORAGE: 's3',
        S3_BUCKET: 'media',
        S3_ENDPOINT: 'http://minio:9000',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'k',
        S3_SECRET_ACCESS_KEY: 's',
      }).storage,
    ).toEqual({
      kind: 's3',
      bucket: 'media',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
    });
    expect(loadConfig({ STORAGE: 's3', S3_BUCKET: 'media' }).storage).toMatchObject({ credentials: undefined, forcePathStyle: false });
    expect(() => loadConfig({ STORAGE: 's3' })).toThrow(/S3_BUCKET: is required when STORAGE=s3/);
    expect(() => loadConfig({ STORAGE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_SECRET_ACCESS_KEY: set both/);
    expect(() => loadConfig({ STORAGE: 'nfs' })).toThrow(/STORAGE/);
  });
});
