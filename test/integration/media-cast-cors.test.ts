import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse, CastUrlView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { parseIFramePlaylist, parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket, okData, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';

// Issue 11, "HLS that every player gets right": CORS on /media/ for configured origins, and casting URLs
// that play without the session cookie, for one media, until they expire; a ban stops them.
const RECEIVER = 'https://receiver.example';

let stack: Stack;
let owner: ApiClient;
let room: RoomView;
let mediaId: string;
let otherMediaId: string;
const sockets: WireSocket[] = [];

/** A request as a casting receiver makes it: no cookie, no Authorization, from another origin. */
const bare = (path: string, headers: Record<string, string> = {}) =>
  fetch(stack.baseUrl + path, { headers: { origin: RECEIVER, ...headers } });

beforeAll(async () => {
  // A 1 s TTL (plus the clip's 2 s): the expiry test waits for it rather than for 15 minutes.
  stack = await startStack({ web: false, env: { MEDIA_CORS_ORIGINS: RECEIVER, CAST_TOKEN_TTL_SEC: '1' } });
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
  room = await owner.createRoom('Cast');
  const clip = await makeClip({ seconds: 2, width: 320, height: 180 });
  mediaId = (await owner.waitForMedia((await owner.upload(room.id, clip, 'a.mp4')).id)).id;
  otherMediaId = (await owner.waitForMedia((await owner.upload(room.id, clip, 'b.mp4')).id)).id;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('CORS on /media/', () => {
  it('answers configured origins only, without credentials, and preflights Range requests', async () => {
    const allowed = await owner.request('GET', `/media/${mediaId}/master.m3u8`, undefined, { origin: RECEIVER });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(RECEIVER);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('access-control-expose-headers')).toContain('Content-Range');
    expect(allowed.headers.get('vary')).toContain('Origin');

    const other = await owner.request('GET', `/media/${mediaId}/master.m3u8`, undefined, { origin: 'https://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const sameOrigin = await owner.request('GET', `/media/${mediaId}/master.m3u8`);
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await fetch(`${stack.baseUrl}/media/${mediaId}/high/seg_00000.m4s`, {
      method: 'OPTIONS',
      headers: { origin: RECEIVER, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(RECEIVER);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Range/);
    const refused = await fetch(`${stack.baseUrl}/media/${mediaId}/master.m3u8`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('casting URLs', () => {
  it('play the whole stream without the cookie, from another origin; nothing plays without one', async () => {
    expect((await bare(`/media/${mediaId}/master.m3u8`)).status).toBe(401);
    const cast = await owner.json<CastUrlView>('POST', `/api/media/${mediaId}/cast`, undefined, 200);
    expect(cast.url).toMatch(new RegExp(`^/media/${mediaId}/t/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+/master\\.m3u8$`));
    expect(Date.parse(cast.expiresAt)).toBeGreaterThan(Date.now());

    const master = await bare(cast.url);
    expect(master.status).toBe(200);
    expect(master.headers.get('access-control-allow-origin')).toBe(RECEIVER);
    const base = cast.url.replace(/master\.m3u8$/, '');
    // Every relative URI resolves under the token: rung playlists, init segments, segments, audio, I-frames.
    const masterText = await master.text();
    const uris = [...parseMaster(masterText).map((v) => v.uri), ...[...masterText.matchAll(/URI="([^"]+)"/g)].map((m) => m[1])];
    expect(uris).toContain('audio/index.m3u8');
    expect(uris).toContain('high/iframes.m3u8');
    for (const uri of uris) {
      const res = await bare(base + uri);
      expect(res.status, uri).toBe(200);
      const text = await res.text();
      const dir = base + uri.replace(/[^/]+$/, '');
      // A media playlist's first segment, or an I-frame playlist's first byte range.
      const first = uri.endsWith('iframes.m3u8')
        ? (({ map, entries: [e] }) => ({ map, uri: e.uri, range: `bytes=${e.offset}-${e.offset + e.length - 1}` }))(
            parseIFramePlaylist(text),
          )
        : (({ map, segments: [s] }) => ({ map, uri: s.uri, range: 'bytes=0-99' }))(parseMediaPlaylist(text));
      expect((await bare(dir + first.map!)).status).toBe(200);
      const seg = await bare(dir + first.uri, { range: first.range });
      expect(seg.status).toBe(206);
      expect(seg.headers.get('access-control-allow-origin')).toBe(RECEIVER);
    }
  });

  it('refuse another media, a tampered token and an expired one (403), and a file that is not there (404)', async () => {
    const cast = await owner.json<CastUrlView>('POST', `/api/media/${mediaId}/cast`, undefined, 200);
    const token = cast.url.split('/')[4];
    expect((await bare(`/media/${otherMediaId}/t/${token}/master.m3u8`)).status).toBe(403);
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ m: mediaId, u: 'someone', e: 4_000_000_000 })).toString('base64url');
    expect((await bare(`/media/${mediaId}/t/${forged}.${sig}/master.m3u8`)).status).toBe(403);
    expect((await bare(`/media/${mediaId}/t/${payload}.${sig.slice(0, -3)}abc/master.m3u8`)).status).toBe(403);
    expect((await bare(`/media/${mediaId}/t/${token}/source`)).status).toBe(404);
    expect((await bare(`/media/${mediaId}/t/${token}/nope/index.m3u8`)).status).toBe(404);
    // Valid now; 1 s TTL + the 2 s clip later it is refused.
    expect((await bare(cast.url)).status).toBe(200);
    await expect.poll(async () => (await bare(cast.url)).status, { timeout: 10_000, interval: 500 }).toBe(403);
  });

  it('are only issued to people who may watch, and stop at the next playlist request once the holder is banned', async () => {
    const stranger = new ApiClient(stack.baseUrl);
    await stranger.register(undefined, 'Stranger');
    expect((await stranger.request('POST', `/api/media/${mediaId}/cast`)).status).toBe(404);
    expect((await owner.request('POST', `/api/media/not-a-uuid/cast`)).status).toBe(404);

    const guest = await new ApiClient(stack.baseUrl).json<AuthResponse>(
      'POST',
      `/api/rooms/${room.id}/guest`,
      { displayName: 'Caster' },
      201,
    );
    const caster = new ApiClient(stack.baseUrl, guest.accessToken);
    const cast = await caster.json<CastUrlView>('POST', `/api/media/${mediaId}/cast`, undefined, 200);
    expect((await bare(cast.url)).status).toBe(200);

    const host = await connectSocket(stack.baseUrl, owner.token!);
    sockets.push(host);
    okData(await ask<RoomSnapshot>(host, 'room:join', { roomId: room.id }));
    expect((await ask(host, 'mod:kick', { userId: guest.user.id, ban: true })).ok).toBe(true);
    expect((await bare(cast.url)).status).toBe(404);
  });
});
