import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuthResponse, CastUrlView, LiveKeyView, LiveStateView, RoomSnapshot } from '@reelroom/contracts';
import { S3MediaUrlSigner } from '../../apps/api/src/storage/s3-media-url-signer.js';
import { ApiClient } from '../support/api-client.js';
import { parseLlPlaylist, parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { publish } from '../support/live.js';
import { makeClip } from '../support/media.js';
import { applyDocumentedCors, testS3Client } from '../support/s3.js';
import { ask, connectSocket, okData, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Issue 10, "Playback stays private", the signed-URL way (MEDIA_DELIVERY=signed on STORAGE=s3, against the
// real S3-protocol server of the test setup): members are redirected from /media/ to presigned bucket URLs
// for media bytes, playlists stay on the API, and a non-member is never handed a URL.
const TTL_SEC = 120;

let stack: Stack;
let owner: ApiClient;
let stranger: ApiClient;
let mediaId: string;
let roomId: string;
const sockets: WireSocket[] = [];
/** `/media/<id>/<rung>/`, and the variant playlist's init and first segment names. */
let rungPath: string;
let init: string;
let segment: string;

/** The API's answer without following a redirect: what it hands out is what is checked. */
const noFollow = (client: ApiClient, path: string, headers: Record<string, string> = {}) =>
  fetch(client.baseUrl + path, {
    headers: { ...headers, ...(client.token && { authorization: `Bearer ${client.token}` }) },
    redirect: 'manual',
  });

beforeAll(async () => {
  stack = await startStack({ web: false, storage: 's3', env: { MEDIA_DELIVERY: 'signed', MEDIA_SIGNED_URL_TTL_SEC: String(TTL_SEC) } });
  owner = new ApiClient(stack.baseUrl);
  await owner.register();
  stranger = new ApiClient(stack.baseUrl);
  await stranger.register();
  const room = await owner.createRoom('Signed');
  roomId = room.id;
  const clip = await makeClip({ seconds: 4, width: 320, height: 240 });
  mediaId = (await owner.waitForMedia((await owner.upload(room.id, clip, 'clip.mp4')).id, ['ready', 'failed'], 240_000)).id;
  const master = await owner.request('GET', `/media/${mediaId}/master.m3u8`);
  const variant = parseMaster(await master.text())[0].uri;
  rungPath = `/media/${mediaId}/${variant.split('/')[0]}/`;
  const playlist = parseMediaPlaylist(await (await owner.request('GET', `/media/${mediaId}/${variant}`)).text());
  init = playlist.map!;
  segment = playlist.segments[0].uri;
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('MEDIA_DELIVERY=signed', () => {
  it('serves playlists and WebVTT itself, no-cache, as with api delivery', async () => {
    const master = await noFollow(owner, `/media/${mediaId}/master.m3u8`);
    expect(master.status).toBe(200);
    expect(master.headers.get('cache-control')).toBe('private, no-cache');
    expect(await master.text()).toContain('#EXT-X-STREAM-INF');
    const storyboard = await noFollow(owner, `/media/${mediaId}/storyboard.vtt`);
    expect(storyboard.status).toBe(200);
    expect(await storyboard.text()).toContain('storyboard.jpg#xywh=');
  });

  it("sends a member's segment request to a bucket URL that answers 200 and 206 with the stored bytes", async () => {
    const stored = await stack.bucket!.read(`${mediaId}/hls/${rungPath.split('/')[3]}/${segment}`);
    const redirect = await noFollow(owner, rungPath + segment);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('private, no-store');
    const location = new URL(redirect.headers.get('location')!);
    expect(location.origin).toBe(inject('s3Endpoint'));
    expect(location.pathname).toBe(`/${stack.bucket!.bucket}/${mediaId}/hls/${rungPath.split('/')[3]}/${segment}`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe(String(TTL_SEC));

    // The bucket, asked with the URL alone (no cookie, no token): the bytes, with the API's type.
    const whole = await fetch(location);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/iso.segment');
    expect(whole.headers.get('cache-control')).toBe(`public, max-age=${TTL_SEC}, immutable`);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(stored);
    const ranged = await fetch(location, { headers: { range: 'bytes=10-109' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(stored.subarray(10, 110));

    // Within a signing window every request gets the same URL (a CDN can cache it). Two pairs at most: a
    // window (TTL/2) cannot start twice within a few milliseconds.
    const twice = async () => Promise.all([0, 1].map(async () => (await noFollow(owner, rungPath + segment)).headers.get('location')));
    let [first, second] = await twice();
    if (new URL(first!).searchParams.get('X-Amz-Date') !== new URL(second!).searchParams.get('X-Amz-Date')) [first, second] = await twice();
    expect(second).toBe(first);
  });

  it('redirects the init segment and the images too', async () => {
    for (const [path, type] of [
      [rungPath + init, 'video/mp4'],
      [`/media/${mediaId}/poster.jpg`, 'image/jpeg'],
      [`/media/${mediaId}/storyboard.jpg`, 'image/jpeg'],
    ]) {
      const redirect = await noFollow(owner, path);
      expect(redirect.status, path).toBe(302);
      const fromBucket = await fetch(redirect.headers.get('location')!);
      expect(fromBucket.status, path).toBe(200);
      expect(fromBucket.headers.get('content-type'), path).toBe(type);
      expect((await fromBucket.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
    }
  });

  it('hands a non-member or a signed-out caller no URL: 403/404/401 for the playlist and the segment, never a redirect', async () => {
    for (const path of [`/media/${mediaId}/master.m3u8`, rungPath + segment, rungPath + init, `/media/${mediaId}/poster.jpg`]) {
      const asStranger = await noFollow(stranger, path);
      expect([403, 404], path).toContain(asStranger.status);
      expect(asStranger.headers.get('location'), path).toBeNull();
      const anonymous = await noFollow(new ApiClient(stack.baseUrl), path);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('location'), path).toBeNull();
    }
  });

  it('stops handing URLs to a banned member at their next playlist request', async () => {
    const guest = await new ApiClient(stack.baseUrl).json<AuthResponse>(
      'POST',
      `/api/rooms/${roomId}/guest`,
      { displayName: 'Guest' },
      201,
    );
    const member = new ApiClient(stack.baseUrl, guest.accessToken);
    expect((await noFollow(member, `/media/${mediaId}/master.m3u8`)).status).toBe(200);
    expect((await noFollow(member, rungPath + segment)).status).toBe(302);

    const host = await connectSocket(stack.baseUrl, owner.token!);
    sockets.push(host);
    okData(await ask<RoomSnapshot>(host, 'room:join', { roomId }));
    expect((await ask(host, 'mod:kick', { userId: guest.user.id, ban: true })).ok).toBe(true);
    // The refused playlist clears the 30 s segment access cache: the next segment request gets no URL.
    expect([403, 404]).toContain((await noFollow(member, `/media/${mediaId}/master.m3u8`)).status);
    const refused = await noFollow(member, rungPath + segment);
    expect([403, 404]).toContain(refused.status);
    expect(refused.headers.get('location')).toBeNull();
  });

  it('plays a casting URL the same way: playlists from the API, media bytes from the bucket', async () => {
    const cast = await owner.json<CastUrlView>('POST', `/api/media/${mediaId}/cast`, undefined, 200);
    const base = stack.baseUrl + cast.url.replace(/master\.m3u8$/, '');
    const master = await fetch(stack.baseUrl + cast.url, { redirect: 'manual' });
    expect(master.status).toBe(200);
    const variant = parseMaster(await master.text())[0].uri;
    const playlist = parseMediaPlaylist(await (await fetch(base + variant, { redirect: 'manual' })).text());
    const rung = variant.split('/')[0];
    const redirect = await fetch(`${base}${rung}/${playlist.segments[0].uri}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect((await fetch(redirect.headers.get('location')!)).status).toBe(200);
    // A forged token gets nothing.
    const forged = await fetch(`${stack.baseUrl}/media/${mediaId}/t/AAAA.BBBB/${rung}/${playlist.segments[0].uri}`, { redirect: 'manual' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('location')).toBeNull();
  });

  it('is refused by the bucket once the URL has expired', async () => {
    // A URL as the API would have signed it one TTL and a window ago: past its X-Amz-Date + X-Amz-Expires.
    const signer = await S3MediaUrlSigner.create(
      testS3Client(inject('s3Endpoint')),
      { bucket: stack.bucket!.bucket, ttlSec: TTL_SEC, publicBaseUrl: undefined },
      () => Date.now() - (TTL_SEC + TTL_SEC / 2) * 1000,
    );
    const key = `${mediaId}/hls/${rungPath.split('/')[3]}/${segment}`;
    const expired = await fetch(await signer.signedGet(key, 'video/iso.segment'));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('answers cross-origin reads with the bucket CORS rules docs/OPERATIONS.md gives, a casting receiver (Origin: null after the redirect) included', async () => {
    await applyDocumentedCors(stack.bucket!.client, stack.bucket!.bucket);
    const location = (await noFollow(owner, rungPath + segment)).headers.get('location')!;
    for (const origin of ['https://watch.example', 'null']) {
      const res = await fetch(location, { headers: { origin, range: 'bytes=0-99' } });
      expect(res.status, origin).toBe(206);
      expect(res.headers.get('access-control-allow-origin'), origin).toBe('*');
      expect(res.headers.get('access-control-expose-headers'), origin).toContain('Content-Range');
    }
  });
});

describe('MEDIA_DELIVERY=signed, a low-latency live', () => {
  it('holds a request for the preload-hinted part until it is written, then redirects; a part nobody hinted is a 404 here', async () => {
    const room = await owner.createRoom('Signed low latency');
    const key = await owner.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, { mode: 'low' }, 201);
    const publisher = publish(`rtmp://127.0.0.1:${stack.rtmpPort}/live/${key.streamKey}`);
    try {
      const liveOf = () => owner.json<LiveStateView>('GET', `/api/rooms/${room.id}/live`);
      await eventually(async () => (await liveOf()).status, 60_000).toBe('live');
      const { playbackUrl } = await liveOf();
      const rung = playbackUrl!.replace(/master\.m3u8$/, 'low/index.m3u8');
      const partPath = (uri: string) => rung.replace(/index\.m3u8$/, uri);
      const get = async (query = '') => parseLlPlaylist(await (await owner.request('GET', `${rung}${query}`)).text());
      await eventually(async () => (await get()).parts.length, 30_000).toBeGreaterThanOrEqual(3);

      // Right after a blocking reload answers for the last part, the hinted one is about a part away.
      const now = await get();
      const last = now.parts.at(-1)!;
      const [msn, part] = last.msn === now.segments.at(-1)!.msn ? [last.msn + 1, 0] : [last.msn, last.index + 1];
      const hinted = (await get(`?_HLS_msn=${msn}&_HLS_part=${part}`)).preloadHint!.URI;
      const early = await noFollow(owner, partPath(hinted));
      expect(early.status).toBe(302);
      const bytes = await fetch(early.headers.get('location')!);
      expect(bytes.status).toBe(200);
      expect((await bytes.arrayBuffer()).byteLength).toBeGreaterThan(0);
      // A listed part: redirected at once; a part nobody hinted: the API's 404, not a URL to a missing object.
      expect((await noFollow(owner, partPath(now.parts[0].uri))).status).toBe(302);
      expect((await noFollow(owner, partPath('part_99999_0.m4s'))).status).toBe(404);
    } finally {
      await publisher.stop();
    }
  });
});
