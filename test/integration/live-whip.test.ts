import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WHIP_ENCODER_PATH, whipPath, type LiveKeyView, type LiveStateView, type MediaView, type RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { launchBrowser } from '../support/browser.js';
import { parseMaster } from '../support/hls.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';
import { closeWhip, whipPublish } from '../support/whip.js';

// Going live from the browser over WebRTC (WHIP, RFC 9725) with real parts: Chromium's fake camera and
// microphone as the publisher, the API's werift peer connection, the relay ffmpeg (RTP in, RTMP out) into
// the API's own node-media-server, the live queue, the transcoder's ladder, HLS, and the replay.
let stack: Stack;
let browser: Browser;
let page: Page;
let host: ApiClient;
let viewer: ApiClient;
let room: RoomView;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ transcoders: 1, web: false }), launchBrowser({ fakeMedia: true })]);
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
  room = await host.createRoom('WebRTC night');
  viewer = new ApiClient(stack.baseUrl);
  await viewer.register(undefined, 'Viewer');
  await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200);
  page = await (await browser.newContext()).newPage();
  // Any page of the API's origin: the offer is posted same-origin, as the web app does.
  await page.goto(`${stack.baseUrl}/api/health`);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The API's JSON log lines. */
const apiLogLines = (): Array<{ msg?: string; code?: number | null }> =>
  readFileSync(join(stack.logDir, 'api.log'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; code?: number | null });
/** Every log the stack's processes wrote so far, as one text. */
const allLogs = (): string =>
  readdirSync(stack.logDir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(stack.logDir, f), 'utf8'))
    .join('\n');
const liveOf = (roomId = room.id) => viewer.json<LiveStateView>('GET', `/api/rooms/${roomId}/live`);
const offerTo = (roomId: string) => `${stack.baseUrl}${whipPath(roomId)}`;

describe('WHIP offers the server refuses', () => {
  it('wants a session, application/sdp, an SDP offer with H.264, and the host', async () => {
    expect((await whipPublish(page, { url: offerTo(room.id) })).status).toBe(401);
    const text = await host.raw('POST', whipPath(room.id), { 'content-type': 'text/plain' }, Buffer.from('v=0'));
    expect(text.status).toBe(415);
    const junk = await host.raw('POST', whipPath(room.id), { 'content-type': 'application/sdp' }, Buffer.from('hello'));
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { message: string }).message).toMatch(/not an SDP/);
    const big = await host.raw('POST', whipPath(room.id), { 'content-type': 'application/sdp' }, Buffer.alloc(17 * 1024, 'a'));
    expect(big.status).toBe(413);
    const vp8 = await whipPublish(page, { url: offerTo(room.id), token: host.token, codecs: 'vp8' });
    expect(vp8.status).toBe(400);
    expect(vp8.message).toMatch(/H\.264/);
    expect(await whipPublish(page, { url: offerTo(room.id), token: viewer.token })).toMatchObject({ status: 403 });
    expect((await liveOf()).status).not.toBe('live');
  });
});

describe('a live from the browser over WHIP', () => {
  it('plays as HLS for the room, refuses a second publisher, ends on DELETE and becomes a replay', async () => {
    const published = await whipPublish(page, { url: offerTo(room.id), token: host.token });
    expect(published.status).toBe(201);
    expect(published.location).toMatch(new RegExp(`^${whipPath(room.id)}/[0-9a-f-]{36}$`));
    await eventually(liveOf, 60_000).toMatchObject({ status: 'live' });
    const live = await liveOf();
    // The ladder is planned from the first frames: the camera's 720p from the start (not a picture that
    // WebRTC scaled down while its bandwidth estimate ramped up), so all three rungs.
    const master = parseMaster(await (await viewer.request('GET', live.playbackUrl!)).text());
    expect(master.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);

    // A second page of the host cannot start another live in the same room.
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${stack.baseUrl}/api/health`);
    expect(await whipPublish(other, { url: offerTo(room.id), token: host.token })).toMatchObject({ status: 409 });
    // Someone else's DELETE, or a made-up session, is a 404 and stops nothing.
    expect((await viewer.request('DELETE', published.location!)).status).toBe(404);
    expect((await host.request('DELETE', `${whipPath(room.id)}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await liveOf()).status).toBe('live');

    // The page's Stop: DELETE; the relay flushes and unpublishes, and the live ends at once.
    // The page keeps sending a moment after the DELETE (as the web app does), so ffmpeg flushes cleanly.
    expect((await host.request('DELETE', published.location!)).status).toBe(200);
    await eventually(liveOf, 15_000).toMatchObject({ status: 'ended' });
    await closeWhip(page);
    // ffmpeg finished on SIGINT (exit 255), it was not killed.
    await eventually(() => apiLogLines().some((l) => l.msg === 'WHIP relay stopped' && l.code === 255), 10_000).toBe(true);
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).toEqual(expect.any(String));
    const replayId = (await liveOf()).replayMediaId ?? '';
    const media = await viewer.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`);
    expect(media.find((m) => m.id === replayId)).toMatchObject({ status: 'ready' });
  });

  it('ends when the page goes away without a word (its connection closes), and logs no stream key', async () => {
    const quiet = await host.createRoom('Closed tab');
    await viewer.json('POST', `/api/rooms/${quiet.id}/join`, {}, 200);
    expect((await whipPublish(page, { url: offerTo(quiet.id), token: host.token })).status).toBe(201);
    await eventually(() => liveOf(quiet.id), 60_000).toMatchObject({ status: 'live' });
    await closeWhip(page);
    await eventually(() => liveOf(quiet.id), 20_000).toMatchObject({ status: 'ended' });

    const logs = allLogs();
    expect(logs).toContain('WHIP publisher connected');
    expect(logs).not.toMatch(/rtmps?:\/\/[^\s"']*\/live\/[\w-]{16,}/);
  });
});

describe("a live from an encoder over WHIP (OBS 30+), the room's stream key as the bearer token", () => {
  /** A room with a viewer, and its stream key from the Go live panel's call. */
  const keyedRoom = async (name: string) => {
    const r = await host.createRoom(name);
    await viewer.json('POST', `/api/rooms/${r.id}/join`, {}, 200);
    return { room: r, ...(await host.json<LiveKeyView>('POST', `/api/rooms/${r.id}/live`, {}, 201)) };
  };
  const url = () => `${stack.baseUrl}${WHIP_ENCODER_PATH}`;
  const stop = (location: string, token?: string) =>
    fetch(`${stack.baseUrl}${location}`, { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('names the room by the key, plays, stops only for the same key, ends cleanly on DELETE, and logs no key', async () => {
    const { room: obsRoom, streamKey, whipUrl } = await keyedRoom('OBS over WHIP');
    const other = await keyedRoom('Another room');
    // The Go live panel shows it beside the RTMP server (OBS: Service "WHIP", "Server").
    expect(whipUrl).toBe(url());
    // No token, or a key that is no room's: 401 with the Bearer challenge, and nothing starts.
    const none = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: 'v=0' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await whipPublish(page, { url: url(), token: 'x'.repeat(43) })).status).toBe(401);
    const unknown = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: `Bearer ${'x'.repeat(43)}` },
      body: 'v=0',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(((await unknown.json()) as { message: string }).message).toMatch(/Unknown stream key/);

    // The page's session plays no part (it has none): the key is the credential, as in OBS.
    const published = await whipPublish(page, { url: url(), token: streamKey });
    expect(published.status).toBe(201);
    expect(published.location).toMatch(new RegExp(`^${WHIP_ENCODER_PATH}/[0-9a-f-]{36}$`));
    await eventually(() => liveOf(obsRoom.id), 60_000).toMatchObject({ status: 'live' });
    // One live per room, whichever way it came in: the host's page is refused now.
    const otherPage = await (await browser.newContext()).newPage();
    await otherPage.goto(`${stack.baseUrl}/api/health`);
    expect(await whipPublish(otherPage, { url: offerTo(obsRoom.id), token: host.token })).toMatchObject({ status: 409 });
    await otherPage.context().close();

    const noToken = await stop(published.location!);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer');
    // Another room's real key stops nothing here.
    expect((await stop(published.location!, other.streamKey)).status).toBe(404);
    expect((await liveOf(obsRoom.id)).status).toBe('live');
    expect((await stop(published.location!, streamKey)).status).toBe(200);
    // A clean end (ffmpeg unpublishes on SIGINT), not a drop: no reconnect grace.
    await eventually(() => liveOf(obsRoom.id), 15_000).toMatchObject({ status: 'ended' });
    await closeWhip(page);
    await eventually(async () => (await liveOf(obsRoom.id)).replayMediaId, 60_000).toEqual(expect.any(String));

    const logs = allLogs();
    expect(logs).toContain('"ingest":"whip-encoder"');
    expect(logs).not.toContain(streamKey);
  });

  it('ends at once when OBS closes its connection and then sends DELETE, as OBS does (no reconnect grace)', async () => {
    const { room: obsRoom, streamKey } = await keyedRoom('OBS stops');
    const published = await whipPublish(page, { url: url(), token: streamKey });
    expect(published.status).toBe(201);
    await eventually(() => liveOf(obsRoom.id), 60_000).toMatchObject({ status: 'live' });
    await closeWhip(page);
    expect((await stop(published.location!, streamKey)).status).toBe(200);
    await eventually(() => liveOf(obsRoom.id), 15_000).toMatchObject({ status: 'ended' });
    // Ended by the DELETE, not by LIVE_RECONNECT_GRACE_SEC running out after what looked like a drop.
    const ends = apiLogLines()
      .map((l) => l.msg)
      .filter((m) => m === 'encoder stopped over WHIP; live ends' || m === 'encoder did not come back; live ends');
    expect(ends).toEqual(['encoder stopped over WHIP; live ends']);
    await eventually(async () => (await liveOf(obsRoom.id)).replayMediaId, 60_000).toEqual(expect.any(String));
  });
});
