import { readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SESSION_COOKIE, type AuthResponse, type MediaView, type RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, bodyOf, errorOf } from '../support/api-client.js';
import { makeClip } from '../support/media.js';

// The API against real PostgreSQL and Redis, with no transcoder running: everything here is about
// accounts, access and refusing bad uploads before any work is queued.
let stack: Stack;
let scratch: string;

beforeAll(async () => {
  stack = await startStack({ transcoders: 0, web: false, env: { MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) } });
  scratch = mkdtempSync(join(tmpdir(), 'rr-access-'));
});
afterAll(async () => {
  await stack?.stop();
});

const incomingFiles = () => readdirSync(join(stack.mediaRoot, '.incoming'));
const mediaRows = async (roomId: string) => {
  const c = new pg.Client({ connectionString: stack.databaseUrl });
  await c.connect();
  try {
    return (await c.query('SELECT id FROM "Media" WHERE "roomId" = $1', [roomId])).rowCount;
  } finally {
    await c.end();
  }
};

describe('accounts', () => {
  it('registers, sets an httpOnly session cookie, and accepts either the cookie or the bearer token', async () => {
    const res = await fetch(`${stack.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Cookie@Example.test', password: 'long enough pw', displayName: 'Cookie' }),
    });
    expect(res.status).toBe(201);
    const body = await bodyOf<AuthResponse>(res);
    expect(body.user).toMatchObject({ email: 'cookie@example.test', displayName: 'Cookie' });
    expect(body.user).not.toHaveProperty('passwordHash');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain(`${SESSION_COOKIE}=`);
    expect(setCookie.toLowerCase()).toContain('httponly');

    const cookie = setCookie.split(';')[0];
    const viaCookie = await fetch(`${stack.baseUrl}/api/auth/me`, { headers: { cookie } });
    expect(viaCookie.status).toBe(200);
    const viaBearer = await fetch(`${stack.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(await viaBearer.json()).toMatchObject({ id: body.user.id });
  });

  it('refuses a duplicate email with 409 and a bad body with 400 naming the field', async () => {
    const a = new ApiClient(stack.baseUrl);
    const email = `dup-${Date.now().toString(36)}@example.test`;
    await a.register(email);
    const dup = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/register', {
      email: email.toUpperCase(),
      password: 'another password',
      displayName: 'X',
    });
    expect(dup.status).toBe(409);
    const bad = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/register', {
      email: 'not-an-email',
      password: 'short',
      displayName: '',
    });
    expect(bad.status).toBe(400);
    const err = await errorOf(bad);
    expect(err.statusCode).toBe(400);
    expect(err.message).toMatch(/email/);
    expect(err.message).toMatch(/password/);
    const notJson = await fetch(`${stack.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).statusCode).toBe(400);
  });

  it('signs in with the right password only, with one message for unknown email and wrong password', async () => {
    const a = new ApiClient(stack.baseUrl);
    const { user } = await a.register();
    const wrong = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/login', { email: user.email, password: 'wrong password' });
    const unknown = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/login', {
      email: 'nobody@example.test',
      password: 'wrong password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await errorOf(wrong)).message).toBe((await errorOf(unknown)).message);
    const ok = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/login', {
      email: user.email,
      password: 'correct horse battery',
    });
    expect(ok.status).toBe(200);
  });

  it('sign-out revokes the token at once', async () => {
    const a = new ApiClient(stack.baseUrl);
    await a.register();
    expect((await a.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await a.request('POST', '/api/auth/logout')).status).toBe(204);
    const after = await a.request('GET', '/api/auth/me');
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ statusCode: 401, message: 'Sign in to continue.' });
  });
});

describe('rooms and media access', () => {
  let owner: ApiClient;
  let stranger: ApiClient;
  let room: RoomView;

  beforeAll(async () => {
    owner = new ApiClient(stack.baseUrl);
    await owner.register();
    stranger = new ApiClient(stack.baseUrl);
    await stranger.register();
    room = await owner.createRoom('Friday films');
  });

  it('creates rooms with unguessable 22-character ids and lists my rooms', async () => {
    expect(room.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(room.myRole).toBe('host');
    const mine = await owner.json<RoomView[]>('GET', '/api/rooms');
    expect(mine.map((r) => r.id)).toContain(room.id);
    expect(await stranger.json<RoomView[]>('GET', '/api/rooms')).toEqual([]);
  });

  it('keeps a room media list from someone who has not joined (403), and from the anonymous (401)', async () => {
    expect((await stranger.request('GET', `/api/rooms/${room.id}/media`)).status).toBe(403);
    expect((await new ApiClient(stack.baseUrl).request('GET', `/api/rooms/${room.id}/media`)).status).toBe(401);
    expect((await stranger.request('GET', `/api/rooms/AAAAAAAAAAAAAAAAAAAAAA/media`)).status).toBe(404);
  });

  it('lets a signed-in user with the link join, then see the media list', async () => {
    const guest = new ApiClient(stack.baseUrl);
    await guest.register();
    const view = await guest.json<RoomView>('GET', `/api/rooms/${room.id}`);
    expect(view.myRole).toBeNull();
    const joined = await guest.json<RoomView>('POST', `/api/rooms/${room.id}/join`, undefined, 200);
    expect(joined.myRole).toBe('viewer');
    expect(await guest.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`)).toEqual([]);
  });

  it('accepts a real video (202, queued) and hides it from strangers (404 on the media and its files)', async () => {
    const clip = await makeClip({ seconds: 1, width: 320, height: 240, dir: scratch });
    const media = await owner.upload(room.id, clip, '../../etc/evil $(id).mp4');
    expect(media).toMatchObject({ roomId: room.id, status: 'queued', progress: 0, playbackUrl: null, originalName: 'evil $(id).mp4' });
    expect((await owner.request('GET', `/api/media/${media.id}`)).status).toBe(200);
    expect((await stranger.request('GET', `/api/media/${media.id}`)).status).toBe(404);
    expect((await stranger.request('GET', `/media/${media.id}/master.m3u8`)).status).toBe(404);
    expect((await stranger.request('POST', `/api/rooms/${room.id}/media`, new FormData())).status).toBe(403);
  });

  it('refuses text, playlists and empty files with 415, leaving no file and no row behind', async () => {
    const before = await mediaRows(room.id);
    const cases: Array<[string, string]> = [
      ['playlist.mp4', '#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n'],
      ['page.mp4', '<!doctype html><html><body>hi</body></html>'],
      ['list.mp4', "ffconcat version 1.0\nfile '/etc/passwd'\n"],
      ['empty.mp4', ''],
    ];
    for (const [name, content] of cases) {
      const path = join(scratch, name);
      writeFileSync(path, content);
      const res = await owner.uploadRequest(room.id, path);
      expect(res.status, name).toBe(415);
      const body = await errorOf(res);
      expect(body.message, name).toMatch(/empty|not a video/);
    }
    expect(incomingFiles()).toEqual([]);
    expect(await mediaRows(room.id)).toBe(before);
  });

  it('refuses a file over MAX_UPLOAD_BYTES with 413 and keeps nothing', async () => {
    const path = join(scratch, 'big.mp4');
    const big = Buffer.alloc(3 * 1024 * 1024);
    big.write('\u0000\u0000\u0000\u0018ftypisom', 0, 'latin1');
    writeFileSync(path, big);
    const res = await owner.uploadRequest(room.id, path);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toMatch(/larger than/);
    expect(incomingFiles()).toEqual([]);
  });

  it('answers 400 when the file field is missing', async () => {
    const form = new FormData();
    form.append('other', 'x');
    const res = await owner.request('POST', `/api/rooms/${room.id}/media`, form);
    expect(res.status).toBe(400);
  });

  it('never serves files outside the media directory, however the path is spelled', async () => {
    const media = (await owner.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`))[0];
    for (const p of [
      '../source',
      '..%2fsource',
      '%2e%2e/source',
      '%252e%252e%252fsource',
      'high/../../source',
      '..%5csource',
      'x%00.m3u8',
      'source',
    ]) {
      const res = await owner.request('GET', `/media/${media.id}/${p}`);
      expect(res.status, p).toBe(404);
    }
  });
});

describe('health', () => {
  it('reports database, Redis and queue state', async () => {
    const res = await fetch(`${stack.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const body = await bodyOf<{ queue: { waiting: number } }>(res);
    expect(body).toMatchObject({ status: 'ok', database: { ok: true }, redis: { ok: true }, queue: { ok: true } });
    expect(body.queue.waiting).toBeGreaterThanOrEqual(1);
  });
});
