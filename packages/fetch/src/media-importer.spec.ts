import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_MESSAGES } from './fetch-messages.js';
import type { HlsLimits } from './hls/hls-limits.js';
import { directLinkResolver, MediaImporter } from './media-importer.js';
import { SafeFetcher } from './safe-fetcher.js';
import { countClientSockets } from './test-support/client-sockets.js';
import { FakeResolver } from './test-support/fake-resolver.js';
import { fetchErrorOf } from './test-support/fetch-error-of.js';
import { MemorySink } from './test-support/memory-sink.js';
import { pattern, redirect, serve } from './test-support/routes.js';
import { TestHttpServer } from './test-support/test-http-server.js';
import type { FetchProgress } from './transfer/progress-throttle.js';

const MiB = 1024 * 1024;
const M3U8 = { 'content-type': 'application/vnd.apple.mpegurl' };
const seg = (i: number, size = 188 * 50) => pattern(size, i * 7);
const playlist = (...lines: string[]) => serve(['#EXTM3U', ...lines].join('\n'), M3U8);
const segments = (names: string[], ...extra: string[]) =>
  playlist('#EXT-X-TARGETDURATION:2', ...extra, ...names.flatMap((n) => ['#EXTINF:2.0,', n]), '#EXT-X-ENDLIST');

describe('MediaImporter against local servers', () => {
  let origin: TestHttpServer;
  let internal: TestHttpServer;
  const importer = (limits: Partial<HlsLimits> = {}) =>
    new MediaImporter(
      new SafeFetcher(
        { allowedPorts: [origin.port, internal.port, 80], testOnly: { allowAddresses: ['127.0.0.1'] }, progressIntervalMs: 0 },
        { resolver: new FakeResolver({ 'metadata.test': [['169.254.169.254']] }) },
      ),
      limits,
    );

  beforeAll(async () => {
    // A server on a private address (127.0.0.2 is not in the test allowance): it must never be reached.
    internal = await TestHttpServer.start('127.0.0.2', { '/seg.ts': serve(seg(99)) });
    const P = () => origin.port;
    origin = await TestHttpServer.start('127.0.0.1', {
      '/hls/master.m3u8': playlist(
        '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360',
        'v360/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720',
        'v720/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=40000000,RESOLUTION=7680x4320',
        'v4320/index.m3u8',
      ),
      '/hls/v720/index.m3u8': (req, res) =>
        segments(['seg0.ts', '/hls/v720/seg1.ts', `http://127.0.0.1:${P()}/hls/v720/seg2.ts`])(req, res),
      '/hls/v720/seg0.ts': serve(seg(0)),
      '/hls/v720/seg1.ts': serve(seg(1)),
      '/hls/v720/seg2.ts': serve(seg(2)),
      '/moved.m3u8': redirect('/hls/v720/index.m3u8'),
      // fMP4 with an init segment, served as text/plain: recognised by its first bytes.
      '/fmp4/index.m3u8': serve(
        ['#EXTM3U', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:2,', 'a.m4s', '#EXTINF:2,', 'b.m4s'].join('\n'),
        {
          'content-type': 'text/plain',
        },
      ),
      '/fmp4/init.mp4': serve(seg(10, 700)),
      '/fmp4/a.m4s': serve(seg(11)),
      '/fmp4/b.m4s': serve(seg(12)),
      '/private/index.m3u8': (req, res) => segments(['ok.ts', `http://127.0.0.2:${internal.port}/seg.ts`])(req, res),
      '/private/ok.ts': serve(seg(0)),
      '/metadata/index.m3u8': (req, res) => segments(['http://metadata.test/latest/meta-data/'])(req, res),
      '/local-file/index.m3u8': segments(['file:///etc/passwd']),
      '/enc/index.m3u8': segments(['s.ts'], '#EXT-X-KEY:METHOD=AES-128,URI="key.bin"'),
      '/range/index.m3u8': segments(['s.ts'], '#EXT-X-BYTERANGE:100@0'),
      '/live/index.m3u8': playlist('#EXTINF:2,', 's.ts'),
      '/many/index.m3u8': segments(['s.ts', 's.ts', 's.ts', 's.ts', 's.ts']),
      '/many/s.ts': serve(seg(0)),
      '/big/index.m3u8': segments(['a.ts', 'b.ts', 'c.ts']),
      '/big/a.ts': serve(pattern(100 * 1024)),
      '/big/b.ts': serve(pattern(100 * 1024)),
      '/big/c.ts': serve(pattern(100 * 1024)),
      '/huge.m3u8': segments(Array.from({ length: 400 }, (_, i) => `segment-with-a-long-name-${i}.ts`)),
      // 6 s of a 100 Mbit/s variant cannot fit 1 MiB; the 100 kbit/s one can.
      '/sized/master.m3u8': playlist(
        '#EXT-X-STREAM-INF:BANDWIDTH=100000000,RESOLUTION=1920x1080',
        'big.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=100000,RESOLUTION=320x180',
        'small.m3u8',
      ),
      '/sized/big.m3u8': segments(['big0.ts', 'big1.ts', 'big2.ts']),
      '/sized/small.m3u8': segments(['small0.ts', 'small1.ts', 'small2.ts']),
      '/sized/small0.ts': serve(seg(20)),
      '/sized/small1.ts': serve(seg(21)),
      '/sized/small2.ts': serve(seg(22)),
      '/video.mp4': serve(seg(5, 5000), { 'content-type': 'video/mp4' }),
      '/page.html': serve('<!doctype html><title>Watch</title>', { 'content-type': 'text/html' }),
    });
  });
  afterAll(async () => {
    await origin.close();
    await internal.close();
  });

  it('imports master -> best variant within limits -> its segments, concatenated in order', async () => {
    const sink = new MemorySink();
    const progress: FetchProgress[] = [];
    // 2.5 Mbit/s for 6 s is about 1.9 MB: the budget lets the 720p variant fit.
    const r = await importer().import({ url: origin.url('/hls/master.m3u8') }, sink, {
      maxBytes: 10 * MiB,
      onProgress: (p) => progress.push(p),
    });
    expect(sink.content.equals(Buffer.concat([seg(0), seg(1), seg(2)]))).toBe(true);
    expect(sink.writableFinished).toBe(true);
    expect(r).toMatchObject({ kind: 'hls', bytes: 3 * seg(0).length, contentType: 'application/vnd.apple.mpegurl' });
    expect(r.head.equals(seg(0).subarray(0, 4096))).toBe(true);
    expect(r.hls).toEqual({
      playlistUrl: origin.url('/hls/master.m3u8'),
      mediaPlaylistUrl: origin.url('/hls/v720/index.m3u8'),
      variant: { bandwidth: 2500000, width: 1280, height: 720, codecs: null },
      segmentCount: 3,
      initSegment: false,
      audioRenditionSkipped: false,
      durationSec: 6,
    });
    expect(origin.paths.filter((p) => p.includes('v360') || p.includes('v4320'))).toEqual([]);
    expect(progress.at(-1)).toEqual({ bytes: r.bytes, totalBytes: null, segmentsDone: 3, segmentCount: 3 });
  });

  it('writes the init segment first for fMP4, recognising a playlist by its first bytes', async () => {
    const sink = new MemorySink();
    const r = await importer().import({ url: origin.url('/fmp4/index.m3u8') }, sink, { maxBytes: MiB });
    expect(sink.content.equals(Buffer.concat([seg(10, 700), seg(11), seg(12)]))).toBe(true);
    expect(r.hls).toMatchObject({ initSegment: true, segmentCount: 2, variant: null });
  });

  it('resolves segment URLs against the playlist URL after a redirect', async () => {
    const sink = new MemorySink();
    const r = await importer().import({ url: origin.url('/moved.m3u8') }, sink, { maxBytes: MiB });
    expect(r.url).toBe(origin.url('/hls/v720/index.m3u8'));
    expect(sink.bytes).toBe(3 * seg(0).length);
  });

  it('picks a smaller variant when the best one would not fit the budget', async () => {
    const sink = new MemorySink();
    const r = await importer().import({ url: origin.url('/sized/master.m3u8') }, sink, { maxBytes: MiB });
    expect(r.hls?.variant).toMatchObject({ height: 180 });
    expect(sink.content.equals(Buffer.concat([seg(20), seg(21), seg(22)]))).toBe(true);
    expect(origin.paths.filter((p) => p.includes('/sized/big0'))).toEqual([]);
  });

  it('refuses a segment on a private address, and nothing reaches it', async () => {
    const sockets = countClientSockets();
    try {
      const e = await fetchErrorOf(importer().import({ url: origin.url('/private/index.m3u8') }, new MemorySink(), { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'forbidden-address', userMessage: 'That address is on a private network.' });
      expect(internal.connections).toBe(0);
      expect(sockets.count).toBe(1); // the origin's kept-alive connection only
    } finally {
      sockets.stop();
    }
  });

  it('refuses a segment whose name resolves to the metadata address', async () => {
    const e = await fetchErrorOf(importer().import({ url: origin.url('/metadata/index.m3u8') }, new MemorySink(), { maxBytes: MiB }));
    expect(e.code).toBe('forbidden-address');
    expect(e.detail).toContain('169.254.169.254');
  });

  it('refuses a segment that is a local file', async () => {
    const e = await fetchErrorOf(importer().import({ url: origin.url('/local-file/index.m3u8') }, new MemorySink(), { maxBytes: MiB }));
    expect(e).toMatchObject({ code: 'unsupported-scheme', userMessage: FETCH_MESSAGES.unsupportedScheme });
  });

  it.each([
    ['/enc/index.m3u8', 'hls-encrypted', 'Encrypted HLS streams cannot be imported.'],
    ['/range/index.m3u8', 'hls-byte-ranges', FETCH_MESSAGES.hlsByteRanges],
    ['/live/index.m3u8', 'hls-live', FETCH_MESSAGES.hlsLive],
  ])('refuses %s before fetching any segment', async (path, code, sentence) => {
    const before = origin.paths.length;
    const e = await fetchErrorOf(importer().import({ url: origin.url(path) }, new MemorySink(), { maxBytes: MiB }));
    expect(e).toMatchObject({ code, userMessage: sentence });
    expect(origin.paths.slice(before)).toEqual([path]);
  });

  it('refuses too many segments before fetching any', async () => {
    const before = origin.paths.length;
    const e = await fetchErrorOf(
      importer({ maxSegments: 4 }).import({ url: origin.url('/many/index.m3u8') }, new MemorySink(), { maxBytes: MiB }),
    );
    expect(e).toMatchObject({ code: 'hls-too-many-segments', userMessage: 'The stream has too many segments (more than 4).' });
    expect(origin.paths.slice(before)).toEqual(['/many/index.m3u8']);
  });

  it('refuses a playlist over the playlist size limit', async () => {
    const e = await fetchErrorOf(
      importer({ maxPlaylistBytes: 4096 }).import({ url: origin.url('/huge.m3u8') }, new MemorySink(), { maxBytes: MiB }),
    );
    expect(e).toMatchObject({ code: 'hls-playlist-too-large', userMessage: 'The playlist is larger than 4 KiB, the limit for playlists.' });
  });

  it('applies the byte limit to the sum of the segments', async () => {
    const sink = new MemorySink();
    const e = await fetchErrorOf(importer().import({ url: origin.url('/big/index.m3u8') }, sink, { maxBytes: 250 * 1024 }));
    expect(e).toMatchObject({ code: 'too-large', userMessage: 'The file is larger than 250 KiB, the upload limit.' });
    expect(sink.bytes).toBeLessThanOrEqual(250 * 1024);
  });

  it('imports a plain file as it is, and hands an HTML page over with its type for the sniffer', async () => {
    const video = new MemorySink();
    expect(await importer().import({ url: origin.url('/video.mp4') }, video, { maxBytes: MiB })).toMatchObject({
      kind: 'file',
      contentType: 'video/mp4',
      bytes: 5000,
    });
    expect(video.content.equals(seg(5, 5000))).toBe(true);
    const page = await importer().import({ url: origin.url('/page.html') }, new MemorySink(), { maxBytes: MiB });
    expect(page).toMatchObject({ kind: 'file', contentType: 'text/html' });
    expect(page.head.toString()).toBe('<!doctype html><title>Watch</title>');
  });

  it("takes the link's kind when it is given", async () => {
    const sink = new MemorySink();
    const r = await importer().import({ url: origin.url('/fmp4/index.m3u8'), kind: 'file' }, sink, { maxBytes: MiB });
    expect(r.kind).toBe('file');
    expect(sink.content.toString()).toMatch(/^#EXTM3U/);
    const e = await fetchErrorOf(importer().import({ url: origin.url('/video.mp4'), kind: 'hls' }, new MemorySink(), { maxBytes: MiB }));
    expect(e.code).toBe('hls-invalid');
  });

  it('resolves a plain link to itself', async () => {
    expect(await directLinkResolver.resolve('https://cdn.example/f.mp4')).toEqual([{ url: 'https://cdn.example/f.mp4', kind: 'auto' }]);
  });
});
