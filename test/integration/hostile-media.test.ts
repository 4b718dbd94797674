import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MEDIA_QUEUE, type MediaView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { FFMPEG_PATH, makeClip } from '../support/media.js';

// Issue 4, "Hostile and broken files": every case goes through the real API, queue and transcoder
// process. A secret file with a unique marker sits in a temp dir; hostile playlists point at it (absolute
// `file:` URLs, plain paths, `../` paths) and at a TCP server of ours (SSRF). Afterwards no file under
// MEDIA_ROOT and no log may contain the marker, the TCP server must have seen no connection, and the
// transcoder must still be alive and transcode an ordinary clip.

const ffmpeg = promisify(execFile);
const gen = (args: string[]) => ffmpeg(FFMPEG_PATH, ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

let stack: Stack;
let owner: ApiClient;
let roomId: string;
let scratch: string;
let secretPath: string;
let queue: Queue;
let redis: Redis;
let tcp: Server;
let tcpPort: number;
let tcpConnections = 0;
const MARKER = `RR-SECRET-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-hostile-'));
  secretPath = join(scratch, 'secret.ts');
  // .ts: an extension the hls demuxer would accept as a segment, so only our defences keep it out.
  writeFileSync(secretPath, `${MARKER}\n`.repeat(64));
  writeFileSync(join(scratch, 'secret.txt'), `${MARKER}\n`);
  tcp = createServer((s) => {
    tcpConnections++;
    s.destroy();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as { port: number }).port;
  stack = await startStack({ web: false });
  owner = new ApiClient(stack.baseUrl);
  await owner.register();
  roomId = (await owner.createRoom('Hostile')).id;
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  queue = new Queue(MEDIA_QUEUE, { connection: redis, prefix: stack.queuePrefix });
});

afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await new Promise((r) => tcp?.close(r));
  await stack?.stop();
});

const file = (name: string, content: string | Buffer) => {
  const p = join(scratch, name);
  writeFileSync(p, content);
  return p;
};

function mediaDirs(): string[] {
  return readdirSync(stack.mediaRoot).filter((d) => d !== '.incoming');
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Upload that must be refused with 415 before anything is stored. */
async function expectRefusedAtUpload(path: string, message: RegExp) {
  const before = mediaDirs();
  const res = await owner.uploadRequest(roomId, path, 'video.mp4');
  const body = (await res.json()) as { message: string };
  expect(res.status, body.message).toBe(415);
  expect(body.message).toMatch(message);
  expect(mediaDirs()).toEqual(before);
  expect(readdirSync(join(stack.mediaRoot, '.incoming'))).toEqual([]);
}

/** Upload that the sniffer lets through and the transcoder must fail once, with a reason, leaving only the source. */
async function expectFailedByWorker(path: string, reason: RegExp, name = 'video.mp4'): Promise<MediaView> {
  const queued = await owner.upload(roomId, path, name);
  const failed = await owner.waitForMedia(queued.id);
  expect(failed.status, failed.error ?? '').toBe('failed');
  expect(failed.error).toMatch(reason);
  expect(failed.error).not.toMatch(/\/tmp|\/srv|file:|at .*\.js|Error:/); // no paths, no stack traces
  expect(failed.playbackUrl).toBeNull();
  // Not retried: the BullMQ job failed on its first attempt (UnrecoverableError).
  const job = await queue.getJob(queued.id);
  expect(job?.attemptsMade).toBe(1);
  expect(await job?.getState()).toBe('failed');
  // Nothing left behind but the uploaded source (kept so the owner can retry or delete it).
  expect(readdirSync(join(stack.mediaRoot, queued.id))).toEqual(['source']);
  return failed;
}

const playlist = (segments: string[]) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-TARGETDURATION:10',
    '#EXT-X-MEDIA-SEQUENCE:0',
    ...segments.flatMap((s) => ['#EXTINF:10.0,', s]),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');

const ftyp = () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\0\0isomavc1', 'latin1')]);

describe('hostile and broken uploads', () => {
  it('refuses playlists, text, markup, images and archives renamed .mp4 at upload (415), keeping nothing', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['hls-local.mp4', playlist([`file://${secretPath}`, secretPath, `../../../../../..${secretPath}`]), /not a video we can read/],
      ['hls-http.mp4', playlist([`http://127.0.0.1:${tcpPort}/a.ts`, 'http://169.254.169.254/latest/meta-data/']), /not a video/],
      [
        'hls-key.mp4',
        `#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="file://${secretPath}"\n#EXTINF:1,\n${secretPath}\n#EXT-X-ENDLIST\n`,
        /not a video/,
      ],
      ['ffconcat.mp4', `ffconcat version 1.0\nfile '${secretPath}'\nfile 'concat:${secretPath}|${secretPath}'\n`, /not a video/],
      ['text.mp4', 'just some words, not a video\n', /not a video/],
      ['html.mp4', '<!doctype html><html><body><video src="x.mp4"></video></body></html>', /not a video/],
      ['svg.mp4', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', /not a video/],
      ['zip.mp4', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(200)]), /not a video/],
      ['empty.mp4', '', /empty/],
    ];
    for (const [name, content, message] of cases) await expectRefusedAtUpload(file(name, content), message);
  });

  it('fails a polyglot (an ftyp box followed by a playlist) in ffprobe, reading nothing it points at', async () => {
    const poly = file(
      'polyglot.mp4',
      Buffer.concat([ftyp(), Buffer.from(playlist([`file://${secretPath}`, `http://127.0.0.1:${tcpPort}/x.ts`]))]),
    );
    await expectFailedByWorker(poly, /not a video we can read/);
  });

  it('fails a truncated MP4 whose moov box is missing, and plays what survives of one cut in half', async () => {
    // moov at the end (no faststart), cut in half: no index at all.
    const tail = await makeClip({ seconds: 4, width: 320, height: 240, dir: scratch, name: 'moov-at-end.mp4' });
    await gen(['-i', tail, '-c', 'copy', join(scratch, 'moovless.mp4')]);
    truncateSync(join(scratch, 'moovless.mp4'), Math.floor(statSync(join(scratch, 'moovless.mp4')).size / 2));
    await expectFailedByWorker(
      join(scratch, 'moovless.mp4'),
      /^This file is not a video we can read \(it is incomplete: its index is missing/,
    );

    // faststart (index first), cut in half: ffmpeg decodes up to the cut and stops; the viewer gets the part
    // that exists, as with any partial download.
    const half = await makeClip({ seconds: 6, width: 320, height: 240, dir: scratch, name: 'half.mp4' });
    truncateSync(half, Math.floor(statSync(half).size / 2));
    const m = await owner.waitForMedia((await owner.upload(roomId, half)).id);
    expect(m.status, m.error ?? '').toBe('ready');
  });

  it('refuses resource bombs by their probed limits before any transcoding starts', async () => {
    // 10 hours of 2x2 frames at 1 fps (x264's smallest 4:2:0 picture): 470 KB that would take hours to encode.
    const long = join(scratch, 'ten-hours.mp4');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'color=c=red:s=2x2:r=1',
      '-t',
      '36000',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      long,
    ]);
    const started = Date.now();
    await expectFailedByWorker(long, /^This video is 10 h long; the limit is 6 h\. Trim it and try again\.$/);
    expect(Date.now() - started).toBeLessThan(15_000);

    // 8192x8192 declared in the H.264 SPS (one frame).
    const huge = join(scratch, 'huge.mp4');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'color=c=blue:s=8192x8192:r=1',
      '-frames:v',
      '1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      huge,
    ]);
    await expectFailedByWorker(huge, /This video is 8192x8192; the largest size we accept is 4096x4096/);

    // 4096x4096 passes each side check but is twice 4K's area.
    const square = join(scratch, 'square.mp4');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'color=c=blue:s=4096x4096:r=1',
      '-frames:v',
      '1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      square,
    ]);
    await expectFailedByWorker(square, /4096x4096; the largest picture we accept is 4K/);

    // 1000 fps declared.
    const fast = join(scratch, 'fast.mp4');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x120:rate=1000',
      '-t',
      '0.2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      fast,
    ]);
    await expectFailedByWorker(fast, /runs at 1000 frames per second; the limit is 120/);

    // 1 video + 20 audio streams.
    const many = join(scratch, 'many.mkv');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x120:rate=10',
      '-f',
      'lavfi',
      '-i',
      'sine',
      '-t',
      '1',
      '-map',
      '0:v',
      ...Array.from({ length: 20 }, () => ['-map', '1:a']).flat(),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      many,
    ]);
    await expectFailedByWorker(many, /This file has 21 streams; we accept at most 16/);

    // 80 streams: past ffprobe's -max_streams, refused by ffprobe itself.
    const more = join(scratch, 'more.mkv');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x120:rate=10',
      '-f',
      'lavfi',
      '-i',
      'sine',
      '-t',
      '0.5',
      '-map',
      '0:v',
      ...Array.from({ length: 79 }, () => ['-map', '1:a']).flat(),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'pcm_s16le',
      more,
    ]);
    await expectFailedByWorker(more, /^This file has more than 64 streams/);

    // Huge probe demand: 60 MB of MPEG-TS null packets before the first video packet. The demuxer drops
    // null packets without counting them against -probesize, so this is just a slow-starting valid video:
    // probing stays bounded (time and bytes), and it plays.
    const video = join(scratch, 'late.ts');
    await gen([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x120:rate=10',
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-f',
      'mpegts',
      video,
    ]);
    const nullPacket = Buffer.alloc(188, 0xff);
    nullPacket.set([0x47, 0x1f, 0xff, 0x10]);
    const padding = Buffer.concat(Array.from({ length: Math.ceil((60 * 1024 * 1024) / 188) }, () => nullPacket));
    const late = file('late-stream.mp4', Buffer.concat([padding, readFileSync(video)]));
    const m = await owner.waitForMedia((await owner.upload(roomId, late)).id);
    expect(m.status, m.error ?? '').toBe('ready');
  });

  it('stores hostile filenames under a server name, keeps the original only as cleaned metadata, and transcodes them', async () => {
    const clip = await makeClip({ seconds: 1, width: 160, height: 120, fps: 10, audio: false, dir: scratch, name: 'tiny.mp4' });
    const rtl = `\u202Efdp.${'ويديو-'.repeat(50)}\u202C.mp4`;
    const names: Array<[string, string]> = [
      ['../../x.mp4', 'x.mp4'],
      ['concat:a.mp4|b.mp4', 'concat:a.mp4|b.mp4'],
      ['$(id).mp4', '$(id).mp4'],
      ['-i http:x.mp4', '-i http:x.mp4'],
      ['`touch pwned`;.mp4', '`touch pwned`;.mp4'],
      [rtl, rtl.replace(/[\u202a-\u202e]/g, '').slice(0, 255)],
    ];
    const ids: string[] = [];
    for (const [name, cleaned] of names) {
      const queued = await owner.upload(roomId, clip, name);
      expect(queued.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(queued.originalName).toBe(cleaned);
      expect(readdirSync(join(stack.mediaRoot, queued.id))).toEqual(['source']);
      ids.push(queued.id);
    }
    // A NUL byte in the multipart filename is a malformed part header: 400, nothing kept.
    const before = mediaDirs();
    const nul = await owner.uploadRequest(roomId, clip, 'a\u0000b.mp4');
    expect(nul.status).toBe(400);
    expect(mediaDirs()).toEqual(before);
    expect(readdirSync(join(stack.mediaRoot, '.incoming'))).toEqual([]);
    for (const id of ids) expect((await owner.waitForMedia(id)).status).toBe('ready');
    // No file was created under a client-chosen name anywhere near MEDIA_ROOT.
    for (const dir of [stack.mediaRoot, join(stack.mediaRoot, '..'), join(stack.mediaRoot, '..', '..')]) {
      expect(readdirSync(dir).filter((f) => /x\.mp4|pwned|concat|\$\(id\)/.test(f))).toEqual([]);
    }
  });

  it('leaked nothing: no marker in any stored file or log, no connection to the network, the worker alive and working', async () => {
    for (const f of [...walk(stack.mediaRoot), ...walk(stack.logDir).filter((p) => p.endsWith('.log'))]) {
      expect(readFileSync(f).includes(MARKER), f).toBe(false);
    }
    expect(tcpConnections).toBe(0);
    // No work dirs left behind by any case.
    expect(walk(stack.mediaRoot).filter((p) => /\.tmp-|\.old-/.test(p))).toEqual([]);
    expect(stack.transcoders.every((t) => t.exitCode === null && t.signalCode === null)).toBe(true);
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'after.mp4' });
    const ready = await owner.waitForMedia((await owner.upload(roomId, clip)).id);
    expect(ready.status).toBe('ready');
    expect(ready.renditions.length).toBeGreaterThan(0);
  });
});
