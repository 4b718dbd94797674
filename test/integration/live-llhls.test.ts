import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKeyView, LiveStateView, MediaView, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { parseLlPlaylist, parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { publish, type Publisher } from '../support/live.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Low-latency mode end to end with real parts: an ffmpeg publisher over RTMP, the transcoder's ffmpeg
// writing fragmented MP4 per rung into the LL-HLS packager, the API serving parts and blocking playlist
// reloads (notified through Redis), and the replay made from the live's own segments.
let stack: Stack;
let host: ApiClient;
let viewer: ApiClient;
let room: RoomView;
let publisher: Publisher | undefined;

beforeAll(async () => {
  stack = await startStack({ transcoders: 1, web: false });
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
  room = await host.createRoom('Low latency night');
  viewer = new ApiClient(stack.baseUrl);
  await viewer.register(undefined, 'Viewer');
  await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200);
});
afterAll(async () => {
  publisher?.process.kill('SIGKILL');
  await stack?.stop();
});

const liveOf = () => viewer.json<LiveStateView>('GET', `/api/rooms/${room.id}/live`);

describe('a low-latency live (LL-HLS)', () => {
  it('serves parts with the LL tags, holds a reload until its part lands, refuses a bad one, and leaves a replay', async () => {
    const key = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, { mode: 'low' }, 201);
    expect(key.mode).toBe('low');
    publisher = publish(`rtmp://127.0.0.1:${stack.rtmpPort}/live/${key.streamKey}`);
    await eventually(async () => (await liveOf()).status, 60_000).toBe('live');
    const live = await liveOf();
    expect(live.mode).toBe('low');
    expect(live.latencyHintSec).toBeLessThan(2);

    const master = await (await viewer.request('GET', live.playbackUrl!)).text();
    const variants = parseMaster(master);
    expect(variants.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);
    const base = live.playbackUrl!.replace(/master\.m3u8$/, '');
    const rung = `${base}${variants[0].uri}`;
    const get = (query = '') => viewer.request('GET', `${rung}${query}`);

    // The playlist: version 9, blocking reload with PART-HOLD-BACK of at least three part targets, parts
    // (the keyframe ones INDEPENDENT), a preload hint; every listed part lasts at most PART-TARGET.
    await eventually(async () => parseLlPlaylist(await (await get()).text()).segments.length, 30_000).toBeGreaterThanOrEqual(3);
    const res = await get();
    expect(res.headers.get('cache-control')).toContain('no-cache');
    const p = parseLlPlaylist(await res.text());
    expect(p.version).toBe(9);
    expect(p.targetDuration).toBe(1);
    expect(p.serverControl['CAN-BLOCK-RELOAD']).toBe('YES');
    expect(p.partTarget).toBeGreaterThan(0.2);
    expect(p.partTarget).toBeLessThan(0.5);
    expect(Number(p.serverControl['PART-HOLD-BACK'])).toBeGreaterThanOrEqual(3 * p.partTarget!);
    expect(p.parts.length).toBeGreaterThanOrEqual(3);
    for (const part of p.parts) expect(part.duration).toBeLessThanOrEqual(p.partTarget!);
    expect(p.parts.filter((x) => x.index === 0).every((x) => x.independent)).toBe(true);
    expect(p.preloadHint).toMatchObject({ TYPE: 'PART' });
    for (const s of p.segments.slice(0, -1)) expect(Math.round(s.duration)).toBeLessThanOrEqual(p.targetDuration!);
    const partRes = await viewer.request('GET', rung.replace(/index\.m3u8$/, p.parts[0].uri));
    expect(partRes.status).toBe(200);
    expect(partRes.headers.get('cache-control')).toContain('immutable');

    // A blocking reload for the next part (the preload hint) answers once that part is listed, not before.
    const edge = parseLlPlaylist(await (await get()).text());
    const next = edge.parts.at(-1)!;
    const [msn, part] = next.msn === edge.segments.at(-1)!.msn ? [next.msn + 1, 0] : [next.msn, next.index + 1];
    const hinted = edge.preloadHint!.URI;
    const askedAt = Date.now();
    const held = await get(`?_HLS_msn=${msn}&_HLS_part=${part}`);
    const heldMs = Date.now() - askedAt;
    expect(held.status).toBe(200);
    const after = parseLlPlaylist(await held.text());
    expect(after.parts.some((x) => x.msn === msn && x.index === part && x.uri === hinted)).toBe(true);
    expect(edge.parts.some((x) => x.uri === hinted)).toBe(false);
    expect((await viewer.request('GET', rung.replace(/index\.m3u8$/, hinted))).status).toBe(200);
    console.warn(`[llhls] blocking reload for the next part held ${heldMs} ms (part target ${p.partTarget} s)`);

    // The preload hint itself, asked for before it exists (as Safari's native player does): the request is
    // held until the packager writes the part (RFC 8216bis 6.2.6), not a 404. A part the playlist does not
    // hint is a 404 at once.
    // Asked for right after a blocking reload answered for the part before it: the hinted part is then
    // about a part's length (1/3 s) from being written.
    const now = parseLlPlaylist(await (await get()).text());
    const lastPart = now.parts.at(-1)!;
    const [nextMsn, nextPart] = lastPart.msn === now.segments.at(-1)!.msn ? [lastPart.msn + 1, 0] : [lastPart.msn, lastPart.index + 1];
    const ahead = parseLlPlaylist(await (await get(`?_HLS_msn=${nextMsn}&_HLS_part=${nextPart}`)).text()).preloadHint!.URI;
    const hintAskedAt = Date.now();
    const early = await viewer.request('GET', rung.replace(/index\.m3u8$/, ahead));
    const hintMs = Date.now() - hintAskedAt;
    expect(early.status).toBe(200);
    expect((await early.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect(parseLlPlaylist(await (await get()).text()).parts.some((x) => x.uri === ahead)).toBe(true);
    console.warn(`[llhls] the hinted part, asked for early, held ${hintMs} ms`);
    const unknownAt = Date.now();
    expect((await viewer.request('GET', rung.replace(/index\.m3u8$/, 'part_99999_0.m4s'))).status).toBe(404);
    expect(Date.now() - unknownAt).toBeLessThan(1000);

    // RFC 8216bis 6.2.5.2: an msn more than two past the last segment, or a malformed query: 400 at once.
    const last = after.segments.at(-1)!.msn;
    expect((await get(`?_HLS_msn=${last + 10}`)).status).toBe(400);
    expect((await get('?_HLS_msn=abc')).status).toBe(400);
    expect((await get('?_HLS_part=1')).status).toBe(400);
    // A segment already there: answered at once.
    expect((await get(`?_HLS_msn=${last}`)).status).toBe(200);
    // RFC 8216bis 6.2.5.2: a held reload that the live does not reach within three target durations gets
    // 503. The publisher is frozen (SIGSTOP: no unpublish, no new frames), so the segment after next never
    // comes while the request waits; then it goes on.
    publisher.process.kill('SIGSTOP');
    try {
      const stalled = parseLlPlaylist(await (await get()).text()).segments.at(-1)!.msn;
      const waitedFrom = Date.now();
      expect((await get(`?_HLS_msn=${stalled + 2}`)).status).toBe(503);
      expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(3 * p.targetDuration! * 1000 - 100);

      // A held reload whose client goes away (a seek, a closed tab) is let go when the connection closes,
      // not at its timeout: the API's held-request gauge is back to 0 well before three target durations.
      const heldNow = async () =>
        Number(/^reelroom_hls_held_requests\{app="api"\} (\d+)$/m.exec(await (await fetch(`${stack.baseUrl}/metrics`)).text())?.[1]);
      expect(await heldNow()).toBe(0);
      const leaving = new AbortController();
      const heldFrom = Date.now();
      const abandoned = fetch(`${stack.baseUrl}${rung}?_HLS_msn=${stalled + 2}`, {
        headers: { authorization: `Bearer ${viewer.token}` },
        signal: leaving.signal,
      }).catch((err: unknown) => err);
      await eventually(heldNow, 2_000).toBe(1);
      leaving.abort();
      await abandoned;
      await eventually(heldNow, 1_000).toBe(0);
      expect(Date.now() - heldFrom).toBeLessThan(3 * p.targetDuration! * 1000);
    } finally {
      publisher.process.kill('SIGCONT');
    }

    // Delta updates (RFC 8216bis 6.2.5.1): offered with CAN-SKIP-UNTIL of six target durations; once the
    // playlist is longer than that, `_HLS_skip=YES` gets the older segments as one EXT-X-SKIP.
    expect(Number(p.serverControl['CAN-SKIP-UNTIL'])).toBe(6 * p.targetDuration!);
    await eventually(async () => parseLlPlaylist(await (await get()).text()).segments.length, 30_000).toBeGreaterThan(8);
    const full = parseLlPlaylist(await (await get()).text());
    const delta = await (await get(`?_HLS_msn=${full.segments.at(-1)!.msn}&_HLS_skip=YES`)).text();
    const skipped = Number(/#EXT-X-SKIP:SKIPPED-SEGMENTS=(\d+)/.exec(delta)?.[1]);
    expect(skipped).toBeGreaterThan(0);
    expect(parseMediaPlaylist(delta).segments[0].uri).toBe(`seg_${String(full.segments[0].msn + skipped).padStart(5, '0')}.m4s`);
    expect((await get('?_HLS_skip=NO')).status).toBe(400);

    // A playlist of more than 1 KB goes out gzipped to a client that accepts it (every player),
    // under its own ETag; one that asks for identity gets the text as it is.
    const plain = await viewer.request('GET', rung, undefined, { 'accept-encoding': 'identity' });
    const zipped = await viewer.request('GET', rung, undefined, { 'accept-encoding': 'gzip' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // Refused explicitly (q=0) it is not gzipped, whatever else the client allows; absent, it is not either.
    const refused = await viewer.request('GET', rung, undefined, { 'accept-encoding': 'gzip;q=0, *' });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect((await viewer.request('GET', rung, undefined, { 'accept-encoding': '' })).headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(zipped.headers.get('etag')).toMatch(/-gz"$/);
    const plainBytes = Number(plain.headers.get('content-length'));
    expect(plainBytes).toBeGreaterThan(1_024);
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(plainBytes / 2);
    // fetch decodes it: the same playlist (a part or two later, the live goes on).
    const unzipped = parseLlPlaylist(await zipped.text());
    expect(unzipped.version).toBe(9);
    expect(unzipped.segments.at(-1)!.msn).toBeGreaterThanOrEqual(parseLlPlaylist(await plain.text()).segments.at(-1)!.msn);

    // The end: the live's own segments become the replay, with plain VOD playlists (no parts left).
    await publisher.stop();
    await eventually(async () => (await liveOf()).status, 5_000).toBe('ended');
    const liveId = base.split('/')[2];
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).toBe(liveId);
    const replay = await viewer.json<MediaView>('GET', `/api/media/${liveId}`);
    expect(replay).toMatchObject({ status: 'ready', playable: true });
    expect(replay.renditions.map((r) => r.height)).toEqual([720, 480, 360]);
    for (const uri of [...variants.map((v) => v.uri), 'audio/index.m3u8']) {
      const text = await (await viewer.request('GET', base + uri)).text();
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(text).not.toContain('#EXT-X-PART');
      const vod = parseMediaPlaylist(text);
      expect(vod.ended).toBe(true);
      expect(vod.segments.length).toBeGreaterThanOrEqual(3);
      expect(vod.segments[0].uri).toBe('seg_00000.m4s');
    }
  });
});

describe('a dropped encoder in low-latency mode', () => {
  it('shows "starting" while it may reconnect, then the same LL playlists go on: numbering, parts, blocking reloads, replay', async () => {
    const key = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, { mode: 'low' }, 201);
    const rtmp = `rtmp://127.0.0.1:${stack.rtmpPort}/live/${key.streamKey}`;
    publisher = publish(rtmp);
    await eventually(async () => (await liveOf()).status, 60_000).toBe('live');
    const { playbackUrl } = await liveOf();
    const rung = playbackUrl!.replace(/master\.m3u8$/, 'low/index.m3u8');
    const get = (query = '') => viewer.request('GET', `${rung}${query}`);
    const playlist = async () => parseLlPlaylist(await (await get()).text());
    await eventually(async () => (await playlist()).segments.length, 30_000).toBeGreaterThanOrEqual(2);

    // A drop, not a stop (no deleteStream: the TCP connection just dies), as when OBS loses its network.
    publisher.process.kill('SIGKILL');
    await eventually(async () => (await liveOf()).status, 2_000).toBe('starting');
    const before = await playlist();
    const lastBefore = before.segments.at(-1)!.msn;

    publisher = publish(rtmp);
    await eventually(async () => (await liveOf()).status, 10_000).toBe('live');
    expect((await liveOf()).playbackUrl).toBe(playbackUrl);
    // The same playlist grows on from where it was: the same first segment and numbering, the new
    // segments cut into parts (the first of each independent, none longer than PART-TARGET).
    await eventually(async () => (await playlist()).segments.at(-1)!.msn, 20_000).toBeGreaterThan(lastBefore + 2);
    const after = await playlist();
    expect(after.segments[0].msn).toBe(before.segments[0].msn);
    expect(after.segments.map((x) => x.msn)).toEqual(after.segments.map((_, i) => before.segments[0].msn + i));
    expect(after.serverControl['CAN-BLOCK-RELOAD']).toBe('YES');
    const resumedParts = after.parts.filter((x) => x.msn > lastBefore);
    expect(resumedParts.length).toBeGreaterThanOrEqual(3);
    for (const part of resumedParts) expect(part.duration).toBeLessThanOrEqual(after.partTarget!);
    expect(resumedParts.filter((x) => x.index === 0).every((x) => x.independent)).toBe(true);
    // Blocking reloads work on the resumed live: one for the next part is held until it is listed.
    const edge = after.parts.at(-1)!;
    const [msn, part] = edge.msn === after.segments.at(-1)!.msn ? [edge.msn + 1, 0] : [edge.msn, edge.index + 1];
    const held = await get(`?_HLS_msn=${msn}&_HLS_part=${part}`);
    expect(held.status).toBe(200);
    expect(parseLlPlaylist(await held.text()).parts.some((x) => x.msn === msn && x.index === part)).toBe(true);

    // Its end: one replay holding both sides of the drop.
    await publisher.stop();
    await eventually(async () => (await liveOf()).status, 5_000).toBe('ended');
    const liveId = playbackUrl!.split('/')[2];
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).toBe(liveId);
    const replay = parseMediaPlaylist(await (await get()).text());
    expect(replay.ended).toBe(true);
    expect(replay.segments.length).toBeGreaterThan(lastBefore + 3);
  });
});
