import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';

// tus 1.0 spoken by hand (POST / HEAD / PATCH with fetch) against the real API, PostgreSQL and Redis.
const MAX = 40 * 1024 * 1024;
const QUOTA = 60 * 1024 * 1024;
const TUS = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...TUS, 'Content-Type': 'application/offset+octet-stream' };

const b64 = (s: string) => Buffer.from(s).toString('base64');
const metadata = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function create(c: ApiClient, size: number | null, meta: Record<string, string>, extra: Record<string, string> = {}) {
  const len: Record<string, string> = size === null ? { 'Upload-Defer-Length': '1' } : { 'Upload-Length': String(size) };
  return c.raw('POST', '/api/uploads', { ...TUS, ...len, 'Upload-Metadata': metadata(meta), ...extra });
}
async function createOk(c: ApiClient, size: number, meta: Record<string, string>): Promise<string> {
  const res = await create(c, size, meta);
  expect(res.status, await res.clone().text()).toBe(201);
  // Location is relative when PUBLIC_URL is unset (never built from the request's Host).
  const id = new URL(res.headers.get('location')!, c.baseUrl).pathname.split('/').pop()!;
  expect(id).toMatch(/^[a-f0-9]{32}$/);
  return id;
}
const head = (c: ApiClient, id: string) => c.raw('HEAD', `/api/uploads/${id}`, TUS);
const patch = (c: ApiClient, id: string, offset: number, body: Buffer) =>
  c.raw('PATCH', `/api/uploads/${id}`, { ...OCTETS, 'Upload-Offset': String(offset) }, body);
const message = async (res: Response) => (JSON.parse(await res.text()) as { message: string }).message;

/** Uploads `data` from `from` in chunks; returns the last response. */
async function sendAll(c: ApiClient, id: string, data: Buffer, chunk: number, from = 0): Promise<Response> {
  let res!: Response;
  for (let off = from; off < data.length; off += chunk) {
    res = await patch(c, id, off, data.subarray(off, off + chunk));
    if (off + chunk < data.length) {
      expect(res.status, await res.clone().text()).toBe(204);
      expect(res.headers.get('upload-offset')).toBe(String(Math.min(off + chunk, data.length)));
    }
  }
  return res;
}

let stack: Stack;
let owner: ApiClient;
let stranger: ApiClient;
let roomId: string;
let clip: Buffer;
let scratch: string;
const tusDir = () => join(stack.mediaRoot, '.tus');
const tusFiles = () => (existsSync(tusDir()) ? readdirSync(tusDir()) : []);

beforeAll(async () => {
  stack = await startStack({ web: false, env: { MAX_UPLOAD_BYTES: String(MAX), USER_QUOTA_BYTES: String(QUOTA) } });
  owner = new ApiClient(stack.baseUrl);
  await owner.register();
  stranger = new ApiClient(stack.baseUrl);
  await stranger.register();
  roomId = (await owner.createRoom('Resumable')).id;
  scratch = mkdtempSync(join(tmpdir(), 'rr-tus-'));
  clip = readFileSync(await makeClip({ seconds: 3, width: 320, height: 240, dir: scratch }));
});
afterAll(async () => {
  await stack?.stop();
});

describe('tus uploads at /api/uploads', () => {
  it('uploads a clip in several chunks; the last PATCH names the new media, which is queued then transcoded, and no upload is left', async () => {
    const id = await createOk(owner, clip.length, { roomId, filename: 'chunked.mp4', filetype: 'video/mp4' });
    expect(tusFiles()).toContain(id);
    const h = await head(owner, id);
    expect(h.status).toBe(200);
    expect(h.headers.get('upload-offset')).toBe('0');
    expect(h.headers.get('upload-length')).toBe(String(clip.length));
    // No Media row before completion.
    expect(await owner.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`)).toEqual([]);

    const last = await sendAll(owner, id, clip, Math.ceil(clip.length / 4));
    expect(last.status, await last.clone().text()).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(clip.length));
    const mediaId = last.headers.get('reelroom-media-id');
    expect(mediaId).toMatch(/^[0-9a-f-]{36}$/);
    const media = await owner.json<MediaView>('GET', `/api/media/${mediaId}`);
    expect(media).toMatchObject({ roomId, originalName: 'chunked.mp4', sizeBytes: clip.length });
    expect(sha256(readFileSync(join(stack.mediaRoot, mediaId!, 'source')))).toBe(sha256(clip));
    // The upload's files are gone; until it expires its URL answers HEAD with the full offset and the
    // media it became, so a client resuming it does not start again (tus: HEAD answers the offset).
    expect(tusFiles()).toEqual([]);
    const done = await head(owner, id);
    expect(done.status).toBe(200);
    expect(done.headers.get('upload-offset')).toBe(String(clip.length));
    expect(done.headers.get('reelroom-media-id')).toBe(mediaId);
    expect((await owner.waitForMedia(mediaId!)).status).toBe('ready');
  });

  it('never builds Location from the Host or X-Forwarded-Host a client sends', async () => {
    const res = await create(
      owner,
      10,
      { roomId, filename: 'x.mp4' },
      { 'X-Forwarded-Host': 'evil.example', Forwarded: 'host=evil.example' },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^\/api\/uploads\/[a-f0-9]{32}$/);
  });

  it('answers a wrong offset with 409 and leaves the file unchanged', async () => {
    const id = await createOk(owner, clip.length, { roomId, filename: 'conflict.mp4' });
    expect((await patch(owner, id, 0, clip.subarray(0, 1000))).status).toBe(204);
    const res = await patch(owner, id, 500, clip.subarray(500, 2000));
    expect(res.status).toBe(409);
    expect(statSync(join(tusDir(), id)).size).toBe(1000);
    expect((await head(owner, id)).headers.get('upload-offset')).toBe('1000');
    const ahead = await patch(owner, id, 5000, clip.subarray(5000, 6000));
    expect(ahead.status).toBe(409);
    expect(statSync(join(tusDir(), id)).size).toBe(1000);
  });

  it("hides one user's upload from another (404 like a missing one) and wants a session (401)", async () => {
    const id = await createOk(owner, clip.length, { roomId, filename: 'mine.mp4' });
    expect((await patch(owner, id, 0, clip.subarray(0, 100))).status).toBe(204);
    for (const res of [
      await head(stranger, id),
      await patch(stranger, id, 100, clip.subarray(100, 200)),
      await stranger.raw('DELETE', `/api/uploads/${id}`, TUS),
    ]) {
      expect(res.status).toBe(404);
    }
    const anon = new ApiClient(stack.baseUrl);
    expect((await anon.raw('HEAD', `/api/uploads/${id}`, TUS)).status).toBe(401);
    expect((await create(anon, 10, { roomId })).status).toBe(401);
    expect((await patch(anon, id, 100, clip.subarray(100, 200))).status).toBe(401);
    expect(statSync(join(tusDir(), id)).size).toBe(100);
    expect((await head(owner, id)).headers.get('upload-offset')).toBe('100');
  });

  it('refuses ids that are not 32 hex characters before touching the store', async () => {
    writeFileSync(join(stack.mediaRoot, 'canary'), 'keep me');
    const before = tusFiles().sort();
    for (const bad of [
      '%2e%2e%2fcanary',
      '..%2F..%2Fcanary',
      '%2e%2e',
      'ABCDEF0123456789ABCDEF0123456789',
      'abc',
      `${'a'.repeat(32)}.json`,
    ]) {
      expect((await head(owner, bad)).status, bad).toBe(404);
      expect((await patch(owner, bad, 0, Buffer.from('x'))).status, bad).toBe(404);
    }
    // A raw path with dot segments (fetch would normalise them away).
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${stack.baseUrl}/api/uploads/../../canary`,
        { method: 'PATCH', headers: { ...OCTETS, 'Upload-Offset': '0', authorization: `Bearer ${owner.token}`, 'Content-Length': '1' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end('x');
    });
    expect([400, 404]).toContain(status);
    expect(readFileSync(join(stack.mediaRoot, 'canary'), 'utf8')).toBe('keep me');
    expect(tusFiles().sort()).toEqual(before);
  });

  it('refuses up front with 413 a declared length over MAX_UPLOAD_BYTES, and 400 a deferred length', async () => {
    const res = await create(owner, MAX + 1, { roomId, filename: 'huge.mp4' });
    expect(res.status).toBe(413);
    expect(await message(res)).toMatch(/larger than the upload limit/);
    const deferred = await create(owner, null, { roomId, filename: 'unknown.mp4' });
    expect(deferred.status).toBe(400);
    expect(await message(deferred)).toMatch(/Upload-Length/);
  });

  it('refuses up front with 413 an upload that would exceed the quota, counting unfinished uploads', async () => {
    const u = new ApiClient(stack.baseUrl);
    await u.register();
    const r = await u.createRoom('Quota');
    const first = await createOk(u, 35 * 1024 * 1024, { roomId: r.id, filename: 'a.mp4' });
    const res = await create(u, 30 * 1024 * 1024, { roomId: r.id, filename: 'b.mp4' });
    expect(res.status).toBe(413);
    expect(await message(res)).toMatch(/storage quota/);
    // Terminating the first frees its share.
    expect((await u.raw('DELETE', `/api/uploads/${first}`, TUS)).status).toBe(204);
    expect(tusFiles()).not.toContain(first);
    await createOk(u, 30 * 1024 * 1024, { roomId: r.id, filename: 'b.mp4' });
  });

  it('binds the upload to a room the caller belongs to (404 unknown, 403 not joined, 400 none)', async () => {
    const res404 = await create(owner, 10, { roomId: 'AAAAAAAAAAAAAAAAAAAAAA', filename: 'x.mp4' });
    expect(res404.status).toBe(404);
    const other = await stranger.createRoom('Not yours');
    const res403 = await create(owner, 10, { roomId: other.id, filename: 'x.mp4' });
    expect(res403.status).toBe(403);
    expect(await message(res403)).toMatch(/Join this room/);
    expect((await create(owner, 10, { filename: 'x.mp4' })).status).toBe(400);
  });

  it('keeps only the allow-listed metadata (path, stagingKey dropped)', async () => {
    const id = await createOk(owner, 10, {
      roomId,
      filename: '../../etc/passwd',
      filetype: 'video/mp4',
      path: '/etc/passwd',
      stagingKey: 'x/../../y',
    });
    const h = await head(owner, id);
    const kept = Object.fromEntries(
      (h.headers.get('upload-metadata') ?? '')
        .split(',')
        .map((p) => p.split(' '))
        .map(([k, v]) => [k, Buffer.from(v ?? '', 'base64').toString()]),
    );
    expect(kept).toEqual({ roomId, filename: 'passwd', filetype: 'video/mp4' });
  });

  it('refuses a text file at completion with 415 and a clear message, leaving nothing behind', async () => {
    const text = Buffer.from('#EXTM3U\n#EXT-X-VERSION:3\nfile:///etc/passwd\n'.repeat(200));
    const before = (await owner.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`)).length;
    const id = await createOk(owner, text.length, { roomId, filename: 'movie.mp4' });
    const res = await sendAll(owner, id, text, 4096);
    expect(res.status).toBe(415);
    expect(await message(res)).toMatch(/not a video we can read/);
    expect(tusFiles().filter((f) => f.startsWith(id))).toEqual([]);
    expect((await head(owner, id)).status).toBe(404);
    expect(await owner.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`)).toHaveLength(before);
  });

  it('lets exactly one of two parallel PATCHes at the same offset through, without corrupting the file', async () => {
    const data = Buffer.concat([clip, Buffer.alloc(6 * 1024 * 1024, 7)]);
    const id = await createOk(owner, data.length, { roomId, filename: 'parallel.mp4' });
    // A: a slow PATCH holding the lock (first MiB now, the rest never comes).
    const slow = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${stack.baseUrl}/api/uploads/${id}`,
        {
          method: 'PATCH',
          headers: { ...OCTETS, 'Upload-Offset': '0', 'Content-Length': String(data.length), authorization: `Bearer ${owner.token}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.write(data.subarray(0, 1024 * 1024));
    });
    // A holds the lock once its bytes reach the upload's file (the store writes only under the lock).
    await expect
      .poll(() => (existsSync(join(tusDir(), id)) ? statSync(join(tusDir(), id)).size : 0), { timeout: 10_000, interval: 50 })
      .toBeGreaterThan(0);
    // B: the whole body at the same offset. It asks A to release; A stops and keeps what it wrote.
    const fast = patch(owner, id, 0, data).then((r) => r.status);
    const [a, b] = await Promise.all([slow, fast]);
    expect([a, b].sort()).toEqual([204, 409]);
    const offset = Number((await head(owner, id)).headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(data.length);
    const last = await patch(owner, id, offset, data.subarray(offset));
    expect(last.status, await last.clone().text()).toBe(204);
    const mediaId = last.headers.get('reelroom-media-id')!;
    expect(sha256(readFileSync(join(stack.mediaRoot, mediaId, 'source')))).toBe(sha256(data));
  });

  it('resumes after an API restart: HEAD reports the offset and the upload completes', async () => {
    const id = await createOk(owner, clip.length, { roomId, filename: 'restart.mp4' });
    const half = Math.floor(clip.length / 2);
    expect((await patch(owner, id, 0, clip.subarray(0, half))).status).toBe(204);
    await stack.restartApi();
    const h = await head(owner, id);
    expect(h.status).toBe(200);
    expect(h.headers.get('upload-offset')).toBe(String(half));
    const last = await patch(owner, id, half, clip.subarray(half));
    expect(last.status).toBe(204);
    const mediaId = last.headers.get('reelroom-media-id')!;
    expect(sha256(readFileSync(join(stack.mediaRoot, mediaId, 'source')))).toBe(sha256(clip));
    expect((await owner.waitForMedia(mediaId)).status).toBe('ready');
  });
});

describe('tus upload expiry', () => {
  let s: Stack;
  beforeAll(async () => {
    // 0.0005 h = 1.8 s; the sweep runs every second.
    s = await startStack({ web: false, transcoders: 0, env: { UPLOAD_EXPIRY_HOURS: '0.0005', UPLOAD_CLEANUP_INTERVAL_SEC: '1' } });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('removes an abandoned upload, file and row, once it expires', async () => {
    const c = new ApiClient(s.baseUrl);
    await c.register();
    const room = await c.createRoom('Expiry');
    const res = await create(c, 1000, { roomId: room.id, filename: 'left.mp4' });
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-expires')).toBeTruthy();
    const id = new URL(res.headers.get('location')!, c.baseUrl).pathname.split('/').pop()!;
    expect((await patch(c, id, 0, Buffer.alloc(100))).status).toBe(204);
    const dir = join(s.mediaRoot, '.tus');
    expect(readdirSync(dir)).toContain(id);
    await expect.poll(() => readdirSync(dir), { timeout: 10_000, interval: 250 }).toEqual([]);
    // The row went too: the URL is unknown, and the quota no longer counts it.
    expect((await head(c, id)).status).toBe(404);
  });
});
