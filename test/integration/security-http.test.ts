import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, type AuthResponse, type MediaView, type RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, bodyOf } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { ask, connectSocket, type WireSocket } from '../support/socket.js';
import { rawRequest } from '../support/raw-http.js';

// Issue 9, "Browser and HTTP defences": each attack performed against the real API (serving the built
// web app), PostgreSQL, Redis and a transcoder, and its refusal asserted.
const EVIL = 'http://evil.example';
const TUS = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...TUS, 'Content-Type': 'application/offset+octet-stream' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

let stack: Stack;
let host: ApiClient;
let cookie: string;
let clipPath: string;
let clip: Buffer;
const sockets: WireSocket[] = [];

/** Registers through the browser's path: the session cookie, as a browser would hold it. */
async function cookieUser(): Promise<{ cookie: string; auth: AuthResponse }> {
  const res = await fetch(`${stack.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.baseUrl },
    body: JSON.stringify({
      email: `c${Math.random().toString(36).slice(2)}@example.test`,
      password: 'correct horse battery',
      displayName: 'Cookie',
    }),
  });
  expect(res.status).toBe(201);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], auth: await bodyOf<AuthResponse>(res) };
}
const roomOf = (id: string) => host.json<RoomView>('GET', `/api/rooms/${id}`);
const mediaOf = (roomId: string) => host.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`);

beforeAll(async () => {
  stack = await startStack();
  const u = await cookieUser();
  cookie = u.cookie;
  host = new ApiClient(stack.baseUrl, u.auth.accessToken);
  const dir = mkdtempSync(join(tmpdir(), 'rr-sechttp-'));
  clipPath = await makeClip({ seconds: 4, width: 320, height: 240, dir });
  clip = readFileSync(clipPath);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('cross-site requests (CSRF) and sockets', () => {
  it('refuses a text/plain POST that would close a room from another origin (403); the room stays open', async () => {
    const room = await host.createRoom('CSRF close');
    const res = await fetch(`${stack.baseUrl}/api/rooms/${room.id}/close`, {
      method: 'POST',
      headers: { cookie, origin: EVIL, 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(res.status).toBe(403);
    expect((await roomOf(room.id)).closedAt).toBeNull();
    // The same request with only a Referer from the other site, or with no Origin and no Referer at all.
    for (const headers of [{ cookie, referer: `${EVIL}/page` }, { cookie }] as Array<Record<string, string>>) {
      const r = await fetch(`${stack.baseUrl}/api/rooms/${room.id}/close`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain' },
      });
      expect(r.status).toBe(403);
    }
    expect((await roomOf(room.id)).closedAt).toBeNull();
    // From the app's own origin it works.
    const ok = await fetch(`${stack.baseUrl}/api/rooms/${room.id}/close`, { method: 'POST', headers: { cookie, origin: stack.baseUrl } });
    expect(ok.status).toBe(200);
    expect((await roomOf(room.id)).closedAt).not.toBeNull();
  });

  it('refuses a multipart upload from another origin (403) and a tus creation with the cookie from it; the bearer token is exempt', async () => {
    const room = await host.createRoom('CSRF upload');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(clip)]), 'x.mp4');
    const res = await fetch(`${stack.baseUrl}/api/rooms/${room.id}/media`, {
      method: 'POST',
      headers: { cookie, origin: EVIL },
      body: form,
    });
    expect(res.status).toBe(403);
    const tus = await fetch(`${stack.baseUrl}/api/uploads`, {
      method: 'POST',
      headers: { cookie, origin: EVIL, ...TUS, 'Upload-Length': '10', 'Upload-Metadata': `roomId ${b64(room.id)}` },
    });
    expect(tus.status).toBe(403);
    expect(await mediaOf(room.id)).toEqual([]);
    // A script with its token (which no other site can make a browser send) is not a cross-site request.
    const scripted = await host.request('POST', `/api/rooms/${room.id}/media`, form, { origin: EVIL });
    expect(scripted.status).toBe(202);
    // Same-origin with the cookie, as the web app does it.
    const same = await fetch(`${stack.baseUrl}/api/rooms/${room.id}/media`, {
      method: 'POST',
      headers: { cookie, origin: stack.baseUrl },
      body: form,
    });
    expect(same.status).toBe(202);
  });

  it('refuses a socket opened from another origin with the cookie, and accepts one from the app', async () => {
    const connect = (origin: string | undefined) =>
      new Promise<{ ok: boolean; error?: string }>((resolve) => {
        const s = io(stack.baseUrl, {
          path: '/socket.io',
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { cookie, ...(origin ? { origin } : {}) },
        });
        sockets.push(s);
        s.once('connect', () => resolve({ ok: true }));
        s.once('connect_error', (err) => resolve({ ok: false, error: err.message }));
      });
    expect(await connect(EVIL)).toMatchObject({ ok: false, error: expect.stringMatching(/another site/) as string });
    expect(await connect(undefined)).toMatchObject({ ok: false });
    expect(await connect(stack.baseUrl)).toEqual({ ok: true });
  });
});

describe('security headers and source maps', () => {
  it('sends CSP, frame-ancestors, nosniff and Referrer-Policy on / and /api, and no HSTS over plain http', async () => {
    for (const path of ['/', '/rooms/abc', '/api/health']) {
      const res = await fetch(stack.baseUrl + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("media-src 'self' blob:");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('serves no source maps, and the bundles do not point at any', async () => {
    const assets = join(import.meta.dirname, '../../apps/web/dist/assets');
    const maps = readdirSync(assets).filter((f) => f.endsWith('.map'));
    for (const name of [...maps, 'index.js.map']) {
      const res = await fetch(`${stack.baseUrl}/assets/${name}`);
      expect(res.status, name).toBe(404);
    }
    for (const js of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(assets, js), 'utf8'), js).not.toMatch(/sourceMappingURL=/);
    }
  });

  it('sends HSTS and Secure cookies when PUBLIC_URL is https', async () => {
    const second = await stack.startSecondApi({ PUBLIC_URL: 'https://watch.example' });
    const res = await fetch(`${second.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://watch.example' },
      body: JSON.stringify({ email: `s${Date.now().toString(36)}@example.test`, password: 'correct horse battery', displayName: 'S' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect((res.headers.get('set-cookie') ?? '').toLowerCase()).toContain('secure');
    // And with PUBLIC_URL set, the origin check holds to it: this instance's own host is not enough.
    const cross = await fetch(`${second.baseUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=x`, origin: second.baseUrl },
    });
    expect(cross.status).toBe(403);
  });
});

describe('HLS: membership on playlists, conditional and range requests', () => {
  let media: MediaView;
  let room: RoomView;
  let viewer: ApiClient;
  let viewerId: string;
  let variant: string;
  let segment: string;

  beforeAll(async () => {
    room = await host.createRoom('HLS');
    media = await host.upload(room.id, clipPath);
    media = await host.waitForMedia(media.id);
    expect(media.status).toBe('ready');
    viewer = new ApiClient(stack.baseUrl);
    viewerId = (await viewer.register()).user.id;
    await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200);
    const master = await (await viewer.request('GET', media.playbackUrl!)).text();
    variant = `/media/${media.id}/${parseMaster(master)[0].uri}`;
    const playlist = parseMediaPlaylist(await (await viewer.request('GET', variant)).text());
    segment = variant.replace(/[^/]+$/, playlist.segments[0].uri);
  });

  it('answers ETag and 304 for If-None-Match, and keeps segments private and immutable', async () => {
    for (const path of [media.playbackUrl!, segment]) {
      const first = await host.request('GET', path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag, path).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      const again = await host.request('GET', path, undefined, { 'if-none-match': etag! });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
    }
    expect((await host.request('GET', segment)).headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await host.request('GET', media.playbackUrl!)).headers.get('cache-control')).toBe('private, no-cache');
  });

  it('serves byte ranges (206 with Content-Range) and answers 416 past the end', async () => {
    const whole = Buffer.from(await (await host.request('GET', segment)).arrayBuffer());
    const part = await host.request('GET', segment, undefined, { range: 'bytes=10-99' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-99/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 100))).toBe(true);
    const tail = await host.request('GET', segment, undefined, { range: 'bytes=-16' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 16))).toBe(true);
    const past = await host.request('GET', segment, undefined, { range: `bytes=${whole.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
  });

  it('stops a banned viewer at once: the next playlist is refused, and the segments after it', async () => {
    // The viewer is playing: playlist and segment read (the segment's access is now cached).
    expect((await viewer.request('GET', variant)).status).toBe(200);
    expect((await viewer.request('GET', segment)).status).toBe(200);
    const hostSocket = await connectSocket(stack.baseUrl, host.token!);
    sockets.push(hostSocket);
    expect(await ask(hostSocket, 'room:join', { roomId: room.id })).toMatchObject({ ok: true });
    expect(await ask(hostSocket, 'mod:kick', { userId: viewerId, ban: true })).toMatchObject({ ok: true });
    // No 30 s grace: refused on the very next playlist request, and segments with it.
    expect((await viewer.request('GET', variant)).status).toBe(404);
    expect((await viewer.request('GET', media.playbackUrl!)).status).toBe(404);
    expect((await viewer.request('GET', segment)).status).toBe(404);
  });
});

describe('tus protocol, spoken by hand', () => {
  let room: RoomView;
  beforeAll(async () => {
    room = await host.createRoom('tus');
  });
  const meta = () => `roomId ${b64(room.id)},filename ${b64('t.mp4')}`;
  const tusFiles = () => (existsSync(join(stack.mediaRoot, '.tus')) ? readdirSync(join(stack.mediaRoot, '.tus')) : []);
  async function create(size: number): Promise<string> {
    const res = await host.raw('POST', '/api/uploads', { ...TUS, 'Upload-Length': String(size), 'Upload-Metadata': meta() });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.headers.get('location')!.split('/').pop()!;
  }

  it('never builds Location from an arbitrary Host', async () => {
    const res = await rawRequest(`${stack.baseUrl}/api/uploads`, 'POST', {
      Host: 'evil.example',
      authorization: `Bearer ${host.token}`,
      ...TUS,
      'Upload-Length': '10',
      'Upload-Metadata': meta(),
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(/^\/api\/uploads\/[a-f0-9]{32}$/);
    expect(res.headers.location).not.toContain('evil');
  });

  it('advertises only the extensions it supports, and refuses creation-with-upload cleanly with no upload left', async () => {
    const options = await host.raw('OPTIONS', '/api/uploads');
    const ext = (options.headers.get('tus-extension') ?? '').split(',');
    expect(ext).toEqual(expect.arrayContaining(['creation', 'termination', 'expiration']));
    expect(ext).not.toContain('creation-with-upload');
    expect(ext).not.toContain('creation-defer-length');
    const before = tusFiles();
    const res = await host.raw(
      'POST',
      '/api/uploads',
      { ...OCTETS, 'Upload-Length': String(clip.length), 'Upload-Metadata': meta() },
      clip,
    );
    expect(res.status).toBe(400);
    expect((await bodyOf<{ message: string }>(res)).message).toMatch(/PATCH/);
    expect(tusFiles()).toEqual(before);
    expect(await mediaOf(room.id)).toEqual([]);
  });

  it('answers a PATCH past Upload-Length with a 413 that says so', async () => {
    const id = await create(100);
    const res = await host.raw('PATCH', `/api/uploads/${id}`, { ...OCTETS, 'Upload-Offset': '0' }, Buffer.alloc(200));
    expect(res.status).toBe(413);
    expect((await bodyOf<{ message: string }>(res)).message).toMatch(/declared length/);
  });

  it('answers 412 with Tus-Version for another Tus-Resumable, and 415 for a PATCH of another type', async () => {
    const old = await host.raw('POST', '/api/uploads', { 'Tus-Resumable': '0.2.2', 'Upload-Length': '10', 'Upload-Metadata': meta() });
    expect(old.status).toBe(412);
    expect(old.headers.get('tus-version')).toBe('1.0.0');
    const id = await create(10);
    const wrong = await host.raw(
      'PATCH',
      `/api/uploads/${id}`,
      { ...TUS, 'Content-Type': 'text/plain', 'Upload-Offset': '0' },
      Buffer.alloc(10),
    );
    expect(wrong.status).toBe(415);
  });

  it('accepts X-HTTP-Method-Override: PATCH, and a finished upload answers HEAD with its offset and media, creating no second one', async () => {
    const id = await create(clip.length);
    const half = Math.floor(clip.length / 2);
    const first = await host.raw(
      'POST',
      `/api/uploads/${id}`,
      { ...OCTETS, 'X-HTTP-Method-Override': 'PATCH', 'Upload-Offset': '0' },
      clip.subarray(0, half),
    );
    expect(first.status, await first.clone().text()).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(half));
    const last = await host.raw('PATCH', `/api/uploads/${id}`, { ...OCTETS, 'Upload-Offset': String(half) }, clip.subarray(half));
    expect(last.status).toBe(204);
    const mediaId = last.headers.get('reelroom-media-id');
    // A client that lost the answer resumes: HEAD says it is complete and names the media.
    const head = await host.raw('HEAD', `/api/uploads/${id}`, TUS);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(clip.length));
    expect(head.headers.get('reelroom-media-id')).toBe(mediaId);
    const again = await host.raw('PATCH', `/api/uploads/${id}`, { ...OCTETS, 'Upload-Offset': String(clip.length) }, Buffer.alloc(0));
    expect(again.status).toBe(204);
    expect((await mediaOf(room.id)).map((m) => m.id)).toEqual([mediaId]);
  });
});
