import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView } from '@reelroom/contracts';
import { TestHttpServer, type Route } from '../../packages/fetch/src/test-support/test-http-server.js';
import { raw, redirect, serve, writeWithBackpressure } from '../../packages/fetch/src/test-support/routes.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { makeClip, makeHls } from '../support/media.js';
import { connectSocket, onEvent, ask, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Add a video by link (issue 13), with every real part: the API's link check, the import queue, the
// transcoder's import worker fetching from HTTP servers this test starts, then the usual transcode.
// The media server runs on 127.0.0.1, which only IMPORT_TEST_ALLOW_ADDRESSES lets through; the trap on
// 127.0.0.2 is NOT on that list, so it stands for any private address under the default rules, and
// counts every TCP connection that reaches it (there must be none).
const MiB = 1024 * 1024;
const MAX_UPLOAD = 4 * MiB;
// 10 full reservations and a partial one fit; the 12th finds the quota used up.
const QUOTA = 42 * MiB;

let stack: Stack;
let media: TestHttpServer;
let trap: TestHttpServer;
let owner: ApiClient;
let roomId: string;
let clip: Buffer;
let hlsDir: string;

const routes: Record<string, Route> = {};
const file = (name: string): Route =>
  serve(readFileSync(join(hlsDir, name)), { 'content-type': name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t' });

beforeAll(async () => {
  const clipPath = await makeClip({ seconds: 3, width: 320, height: 240, fps: 24, audio: true });
  clip = readFileSync(clipPath);
  hlsDir = await makeHls(clipPath);
  media = await TestHttpServer.start('127.0.0.1', routes);
  trap = await TestHttpServer.start('127.0.0.2', { '/': serve(clip, { 'content-type': 'video/mp4' }) });
  const trapUrl = (path: string) => trap.url(path);
  const more: Record<string, Route> = {
    '/clip.mp4': serve(clip, { 'content-type': 'video/mp4' }),
    '/hop1': redirect('/hop2', 302),
    '/hop2': redirect(media.url('/clip.mp4'), 301),
    '/to-private': redirect(trapUrl('/'), 302),
    '/to-metadata': redirect(`http://169.254.169.254:${media.port}/latest/meta-data/`, 302),
    // Declares 10 bytes and sends 10 MiB: only the declared bytes are read.
    '/lying-length': raw('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 10\r\n\r\n', 10 * MiB),
    // No length at all, 10 MiB that start like an mp4: counted while streaming, stopped at the upload limit.
    '/no-length-big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.write(clip.subarray(0, 4096));
      writeWithBackpressure(res, 10 * MiB);
    },
    '/stall': (_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(clip.length) });
      res.write(clip.subarray(0, 1000)); // then silence
    },
    '/slow-big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(3 * MiB) });
      // Starts like an mp4 (the sniffer lets it through), then 16 KiB every 100 ms.
      res.write(clip.subarray(0, 4096));
      const chunk = Buffer.alloc(16 * 1024, 1);
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(chunk)), 100);
      res.on('close', () => clearInterval(t));
    },
    '/page.html': serve('<!DOCTYPE html><html><head><title>A video</title></head><body><video src="x.mp4"></video></body></html>', {
      'content-type': 'text/html; charset=utf-8',
    }),
    '/hls/index.m3u8': file('index.m3u8'),
    '/hls/bad.m3u8': serve(
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:1.0,\nseg000.ts\n#EXTINF:1.0,\n${trapUrl('/seg001.ts')}\n#EXT-X-ENDLIST\n`,
      { 'content-type': 'application/vnd.apple.mpegurl' },
    ),
  };
  Object.assign(routes, more);
  for (const name of readdirSync(hlsDir)) if (name.endsWith('.ts')) routes[`/hls/${name}`] = file(name);

  stack = await startStack({
    web: false,
    env: {
      IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1',
      IMPORT_ALLOWED_PORTS: `80,443,${media.port},${trap.port}`,
      IMPORT_IDLE_TIMEOUT_SEC: '2',
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      USER_QUOTA_BYTES: String(QUOTA),
    },
  });
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Olive');
  roomId = (await owner.createRoom('Imports')).id;
});
afterAll(async () => {
  await stack?.stop();
  await media?.close();
  await trap?.close();
}, 60_000);

const importLink = (url: string) => owner.request('POST', `/api/rooms/${roomId}/media/import`, { url });
async function accepted(url: string): Promise<MediaView> {
  const res = await importLink(url);
  const body = await res.text();
  expect(res.status, body).toBe(202);
  return JSON.parse(body) as MediaView;
}
const sourceOf = (id: string) => join(stack.mediaRoot, id, 'source');
const logs = () =>
  readdirSync(stack.logDir)
    .filter((f) => f.startsWith('transcoder'))
    .map((f) => readFileSync(join(stack.logDir, f), 'utf8'))
    .join('\n');

describe('add a video by link', () => {
  it('imports a plain mp4 with progress on the room socket, then transcodes it like an upload', async () => {
    const socket: WireSocket = await connectSocket(stack.baseUrl, owner.token!);
    const statuses: string[] = [];
    const progress: Array<{ bytes?: number; totalBytes?: number | null; progress: number }> = [];
    onEvent(socket, 'media:updated', (m) => statuses.push(m.status));
    onEvent(socket, 'media:progress', (p) => progress.push(p));
    expect((await ask(socket, 'room:join', { roomId })).ok).toBe(true);
    try {
      const m = await accepted(media.url('/clip.mp4'));
      expect(m).toMatchObject({ status: 'importing', sourceUrl: media.url('/clip.mp4'), originalName: 'clip.mp4' });
      const ready = await owner.waitForMedia(m.id);
      expect(ready.error).toBeNull();
      expect(ready).toMatchObject({ status: 'ready', sizeBytes: clip.length, playbackUrl: `/media/${m.id}/master.m3u8` });
      expect(ready.durationSec).toBeCloseTo(3, 0);
      // The master playlist is served like any upload's.
      expect((await owner.request('GET', ready.playbackUrl!)).status).toBe(200);
      // 'queued' may pass unseen: a free worker starts the transcode before the import's end is relayed.
      await eventually(() => statuses).toEqual(expect.arrayContaining(['importing', 'ready']));
      expect(statuses.some((st) => st === 'queued' || st === 'processing')).toBe(true);
      // Progress like an upload's: bytes of the declared size, the last report the whole file.
      expect(progress.some((p) => p.bytes === clip.length && p.totalBytes === clip.length && p.progress === 100)).toBe(true);
    } finally {
      socket.disconnect();
    }
  });

  it('follows redirects by hand, each hop checked', async () => {
    const before = media.paths.length;
    const m = await accepted(media.url('/hop1'));
    const ready = await owner.waitForMedia(m.id);
    expect(ready).toMatchObject({ status: 'ready', sizeBytes: clip.length });
    expect(media.paths.slice(before)).toEqual(['/hop1', '/hop2', '/clip.mp4']);
  });

  it('refuses with a sentence, before queueing, links that are not allowed as written or resolve to a private address', async () => {
    const cases: Array<[string, number, string]> = [
      ['ftp://example.com/video.mp4', 400, 'Only http and https links can be added.'],
      [`http://user:pw@127.0.0.1:${media.port}/clip.mp4`, 400, 'Links with a user name or password in them cannot be added.'],
      [
        'http://example.com:8080/video.mp4',
        400,
        `Only links on the usual web ports can be added (ports 80, 443, ${media.port} and ${trap.port}).`,
      ],
      ['not a link', 400, 'That is not a valid link.'],
      [trap.url('/'), 422, 'That address is on a private network.'],
      [`http://169.254.169.254:${media.port}/latest/meta-data/`, 422, 'That address is on a private network.'],
      ['http://10.0.0.1/video.mp4', 422, 'That address is on a private network.'],
      ['http://[::1]/video.mp4', 422, 'That address is on a private network.'],
    ];
    for (const [url, status, message] of cases) {
      const res = await importLink(url);
      expect([url, res.status, (await errorOf(res)).message]).toEqual([url, status, message]);
    }
    expect((await owner.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`)).filter((m) => m.status === 'importing')).toEqual([]);
    expect(trap.connections).toBe(0);
  });

  it('refuses redirects to 127.0.0.2 and to 169.254.169.254: the media fails with the reason and no connection reaches the target', async () => {
    for (const path of ['/to-private', '/to-metadata']) {
      const m = await accepted(media.url(path));
      const failed = await owner.waitForMedia(m.id);
      expect([path, failed.status, failed.error]).toEqual([path, 'failed', 'That address is on a private network.']);
      expect(existsSync(sourceOf(m.id))).toBe(false);
    }
    expect(trap.connections).toBe(0);
  });

  it('caps the bytes while streaming: a lying Content-Length reads no more than declared, a missing one stops at the upload limit', async () => {
    const lying = await owner.waitForMedia((await accepted(media.url('/lying-length'))).id);
    // 10 bytes arrived (not 10 MiB), and they are not a video.
    expect(lying).toMatchObject({ status: 'failed', error: 'This link is not a video we can read (unrecognised format).' });
    const big = await owner.waitForMedia((await accepted(media.url('/no-length-big'))).id);
    expect(big).toMatchObject({ status: 'failed', error: 'The file is larger than 4 MiB, the upload limit.', sizeBytes: 0 });
    expect(existsSync(sourceOf(big.id))).toBe(false);
  });

  it('gives up on a server that stops sending, with a sentence, after one retry', async () => {
    const m = await accepted(media.url('/stall'));
    const failed = await owner.waitForMedia(m.id, ['ready', 'failed'], 60_000);
    expect(failed).toMatchObject({ status: 'failed', error: 'The server stopped sending data.' });
    expect(logs()).toMatch(/import failed; it will be retried/);
  });

  it('refuses a web page with a sentence that says what to paste instead', async () => {
    const failed = await owner.waitForMedia((await accepted(media.url('/page.html'))).id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^That link leads to a web page, not to a video file\./);
  });

  it('refuses an HLS playlist whose segment points at a private address, without connecting to it', async () => {
    const failed = await owner.waitForMedia((await accepted(media.url('/hls/bad.m3u8'))).id);
    expect(failed).toMatchObject({ status: 'failed', error: 'That address is on a private network.' });
    expect(trap.connections).toBe(0);
  });

  it('imports an HLS playlist segment by segment through the fetcher and transcodes it', async () => {
    const before = media.paths.length;
    const m = await accepted(media.url('/hls/index.m3u8'));
    const ready = await owner.waitForMedia(m.id);
    expect(ready.error).toBeNull();
    expect(ready).toMatchObject({ status: 'ready', width: 320, height: 240 });
    expect(ready.durationSec).toBeCloseTo(3, 0);
    const segments = readdirSync(hlsDir).filter((n) => n.endsWith('.ts')).length;
    const fetched = media.paths.slice(before);
    expect(fetched[0]).toBe('/hls/index.m3u8');
    expect(fetched.filter((p) => p.endsWith('.ts'))).toHaveLength(segments);
  });

  it('stops an import in flight when it is cancelled, fetches it again on retry, and deletes it while it imports', async () => {
    const m = await accepted(media.url('/slow-big'));
    await eventually(async () => (await owner.json<MediaView>('GET', `/api/media/${m.id}`)).importedBytes ?? 0, 15_000).toBeGreaterThan(0);
    const cancelled = await owner.json<MediaView>('POST', `/api/media/${m.id}/cancel`, undefined, 200);
    // Cancelled before the file arrived: nothing kept, so its quota reservation is released.
    expect(cancelled).toMatchObject({ status: 'failed', error: 'Cancelled by Olive.', sizeBytes: 0 });
    await eventually(() => /import cancelled/.test(logs()), 15_000).toBe(true);
    expect((await owner.json<MediaView>('GET', `/api/media/${m.id}`)).status).toBe('failed');
    expect(existsSync(sourceOf(m.id))).toBe(false);
    // Retry fetches the link again under the same id, with a fresh reservation.
    // (409 "still stopping" until the cancelled try has left the queue's active list: a refused retry changes nothing.)
    let again: MediaView | undefined;
    await eventually(async () => {
      const res = await owner.request('POST', `/api/media/${m.id}/retry`);
      if (res.status === 202) again = (await res.json()) as MediaView;
      return res.status;
    }, 15_000).toBe(202);
    expect(again).toMatchObject({ id: m.id, status: 'importing', sizeBytes: MAX_UPLOAD, error: null });

    const d = again!;
    await eventually(async () => (await owner.json<MediaView>('GET', `/api/media/${d.id}`)).importedBytes ?? 0, 15_000).toBeGreaterThan(0);
    expect((await owner.request('DELETE', `/api/media/${d.id}`)).status).toBe(204);
    await eventually(() => (logs().match(/import cancelled/g) ?? []).length, 15_000).toBe(2);
    await eventually(() => existsSync(join(stack.mediaRoot, d.id)), 15_000).toBe(false);
    // Cancels mid-chunk once crashed the worker (an unhandled stream error): it is still running.
    expect(stack.transcoders.map((t) => [t.exitCode, t.signalCode])).toEqual([[null, null]]);
  });

  it('reserves quota before fetching, atomically: of 12 imports sent at once, 10 get the upload limit, one the rest of the quota, one 413', async () => {
    const member = new ApiClient(stack.baseUrl);
    await member.register(undefined, 'Max');
    await member.json('POST', `/api/rooms/${roomId}/join`, {});
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => member.request('POST', `/api/rooms/${roomId}/media/import`, { url: media.url('/slow-big') })),
    );
    const accepted = await Promise.all(answers.filter((r) => r.status === 202).map((r) => r.json() as Promise<MediaView>));
    const refused = answers.filter((r) => r.status !== 202);
    expect(refused.map((r) => r.status)).toEqual([413]);
    expect((await errorOf(refused[0])).message).toBe('Your storage quota is full. Delete some videos first.');
    expect(accepted.map((m) => m.sizeBytes).sort((a, b) => b - a)).toEqual([
      ...Array<number>(10).fill(MAX_UPLOAD),
      QUOTA - 10 * MAX_UPLOAD,
    ]);
    // Tidy up: waiting imports are removed, running ones stopped.
    for (const m of accepted) expect((await member.request('DELETE', `/api/media/${m.id}`)).status).toBe(204);
  });
});

// The operator turned yt-dlp on: a page link is resolved by it, and what it finds is fetched by our
// fetcher under the same rules. A stand-in script plays yt-dlp (`--dump-single-json` answers by link).
describe('add a video by link, with yt-dlp on', () => {
  let ytStack: Stack;
  let member: ApiClient;
  let ytRoom: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-ytdlp-'));
    const bin = join(dir, 'yt-dlp');
    const answers = {
      [media.url('/page.html')]: { url: media.url('/clip.mp4'), protocol: 'http' },
      [media.url('/page.html?v=private')]: { url: trap.url('/'), protocol: 'http' },
    };
    writeFileSync(
      bin,
      `#!/usr/bin/env node
const args = process.argv.slice(2);
if (args[0] === '--version') { console.log('2026.01.01'); process.exit(0); }
const answers = ${JSON.stringify(answers)};
const found = answers[args[args.length - 1]];
if (!found) { console.error('ERROR: Unsupported URL'); process.exit(1); }
process.stdout.write(JSON.stringify(found));
`,
    );
    chmodSync(bin, 0o755);
    ytStack = await startStack({
      web: false,
      env: {
        IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1',
        IMPORT_ALLOWED_PORTS: `80,443,${media.port},${trap.port}`,
        IMPORT_YTDLP: '1',
        IMPORT_YTDLP_PATH: bin,
      },
    });
    member = new ApiClient(ytStack.baseUrl);
    await member.register(undefined, 'Yara');
    ytRoom = (await member.createRoom('Pages')).id;
  });
  afterAll(async () => {
    await ytStack?.stop();
  });

  const importPage = async (url: string) => {
    const res = await member.request('POST', `/api/rooms/${ytRoom}/media/import`, { url });
    expect(res.status).toBe(202);
    return member.waitForMedia(((await res.json()) as MediaView).id);
  };

  it('says pages work, resolves a page to its media link and imports that', async () => {
    expect((await member.json<{ ytdlp: boolean; linkKinds: string }>('GET', '/api/media/import/options')).ytdlp).toBe(true);
    const before = media.paths.length;
    const ready = await importPage(media.url('/page.html'));
    expect(ready.error).toBeNull();
    expect(ready).toMatchObject({ status: 'ready', sizeBytes: clip.length });
    expect(media.paths.slice(before)).toEqual(['/page.html', '/clip.mp4']);
  });

  it('refuses what yt-dlp found when it points at a private address, without connecting to it', async () => {
    const failed = await importPage(media.url('/page.html?v=private'));
    expect(failed).toMatchObject({ status: 'failed', error: 'That address is on a private network.' });
    expect(trap.connections).toBe(0);
  });

  it('refuses a page yt-dlp cannot read with a sentence', async () => {
    const failed = await importPage(media.url('/page.html?v=unknown'));
    expect(failed).toMatchObject({ status: 'failed', error: 'No video could be found on that page.' });
  });
});
