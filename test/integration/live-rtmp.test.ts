import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKeyView, LiveStateView, MediaView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { parseIFrameStreams, parseMaster, parseMasterMedia, parseMediaPlaylist, rungSegmentStarts } from '../support/hls.js';
import { publish, type Publisher } from '../support/live.js';
import { openMediaQueue } from '../support/queue.js';
import { ask, connectSocket, nextEvent, okData, type WireSocket } from '../support/socket.js';
import { freePort, startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// The whole live path with real parts: OBS played by an ffmpeg publisher over real RTMP into the API's
// node-media-server, the live queue, the transcoder's ffmpeg ladder, HLS served by the API, and the replay.
let stack: Stack;
let host: ApiClient;
let viewer: ApiClient;
let room: RoomView;
let liveQueue: ReturnType<typeof openMediaQueue>;
const publishers: Publisher[] = [];
/** The first live of the file, for the keyframe check that runs last (see there). */
let firstLive: { liveId: string; rungs: string[] } | undefined;

beforeAll(async () => {
  // Debug level: node-media-server's own lines are logged there, and the key must not be in them either.
  stack = await startStack({ transcoders: 1, web: false, env: { LOG_LEVEL: 'debug' } });
  liveQueue = openMediaQueue(stack.queuePrefix, 'live');
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
  room = await host.createRoom('Live night');
  viewer = new ApiClient(stack.baseUrl);
  await viewer.register(undefined, 'Viewer');
  await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200);
});
afterAll(async () => {
  for (const p of publishers) p.process.kill('SIGKILL');
  await liveQueue?.close();
  await stack?.stop();
});

const rtmp = (key: string) => `rtmp://127.0.0.1:${stack.rtmpPort}/live/${key}`;
/** Every stream key used in this file: none may appear in any log. */
const keysUsed = new Set<string>();
const startPublisher = (key: string) => {
  keysUsed.add(key);
  const p = publish(rtmp(key));
  publishers.push(p);
  return p;
};
const liveOf = (client: ApiClient, roomId = room.id) => client.json<LiveStateView>('GET', `/api/rooms/${roomId}/live`);
/** Folders under MEDIA_ROOT (one per media or live). */
const mediaFolders = () => (existsSync(stack.mediaRoot) ? readdirSync(stack.mediaRoot).filter((n) => !n.startsWith('.')) : []);
const jobCount = async () => {
  const c = await liveQueue.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  return Object.values(c).reduce((a, b) => a + b, 0);
};

describe('stream keys', () => {
  it('lets only the host create one, shows it once, refuses an unknown mode', async () => {
    const notHost = await viewer.request('POST', `/api/rooms/${room.id}/live`, {});
    expect(notHost.status).toBe(403);
    const bad = await host.request('POST', `/api/rooms/${room.id}/live`, { mode: 'ultra' });
    expect(bad.status).toBe(400);

    const key = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, {}, 201);
    expect(key).toMatchObject({ rtmpUrl: `rtmp://127.0.0.1:${stack.rtmpPort}/live`, mode: 'standard' });
    expect(key.streamKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const state = await liveOf(viewer);
    expect(state).toMatchObject({ status: 'idle', playbackUrl: null, replayMediaId: null });
    expect(JSON.stringify(state)).not.toContain(key.streamKey);
  });
});

describe('RTMP ingest to a live ladder and a replay', () => {
  it('plays a good key as three aligned rungs, refuses a second publisher, ends within 2 s and leaves a ready replay', async () => {
    const { streamKey } = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live/rotate-key`, undefined, 201);
    const socket: WireSocket = await connectSocket(stack.baseUrl, viewer.token!);
    try {
      const snapshot = okData(await ask<RoomSnapshot>(socket, 'room:join', { roomId: room.id }));
      expect(snapshot.live.status).toBe('idle');
      const announcedLive = nextEvent(socket, 'live:state', (s) => s.status === 'live', 60_000);

      const started = Date.now();
      const publisher = startPublisher(streamKey);
      await eventually(async () => (await liveOf(viewer)).status, 60_000).toBe('live');
      const msToLive = Date.now() - started;
      const live = await announcedLive;
      expect(live.playbackUrl).toMatch(/^\/media\/[0-9a-f-]{36}\/master\.m3u8$/);
      console.warn(`[live] publish -> status live (master + first segment of every rung): ${msToLive} ms`);

      // The master: three rungs, 720p at the top, never above the 1280x720 source.
      const masterRes = await viewer.request('GET', live.playbackUrl!);
      expect(masterRes.status).toBe(200);
      expect(masterRes.headers.get('cache-control')).toContain('no-cache');
      const masterText = await masterRes.text();
      const variants = parseMaster(masterText);
      expect(variants.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);
      // The sound is one shared rendition, as for an upload (issue 11), named by every variant.
      expect(parseMasterMedia(masterText).map((m) => [m.TYPE, m['GROUP-ID'], m.URI])).toEqual([['AUDIO', 'aud', 'audio/index.m3u8']]);
      for (const v of variants)
        expect([v.attrs.AUDIO, v.attrs.CODECS]).toEqual(['aud', expect.stringMatching(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/)]);
      // Members only: a stranger is told nothing exists.
      const stranger = new ApiClient(stack.baseUrl);
      await stranger.register();
      expect((await stranger.request('GET', live.playbackUrl!)).status).toBe(404);

      const base = live.playbackUrl!.replace(/master\.m3u8$/, '');
      const liveId = base.split('/')[2];
      const rungPlaylist = async (uri: string) => parseMediaPlaylist(await (await viewer.request('GET', base + uri)).text());
      // Every rung grows while the publisher streams: 1 s segments, no ENDLIST yet.
      for (const v of variants) {
        await eventually(async () => (await rungPlaylist(v.uri)).segments.length, 30_000).toBeGreaterThanOrEqual(3);
        const p = await rungPlaylist(v.uri);
        expect(p.ended).toBe(false);
        for (const s of p.segments.slice(0, -1)) expect(s.duration).toBeCloseTo(1, 1);
        const seg = await viewer.request('GET', base + v.uri.replace(/index\.m3u8$/, p.segments[0].uri));
        expect(seg.status).toBe(200);
        expect(seg.headers.get('cache-control')).toContain('immutable');
      }

      // A second publisher on the same key is refused while the first one streams; no second job.
      const jobsBefore = await jobCount();
      const second = startPublisher(streamKey);
      expect(await second.exited).not.toBe(0);
      expect(await jobCount()).toBe(jobsBefore);
      expect((await liveOf(viewer)).status).toBe('live');

      // OBS's Stop Streaming: the room hears "ended" within 2 s.
      const announcedEnd = nextEvent(socket, 'live:state', (s) => s.status === 'ended', 10_000);
      // The transcoder samples how far its live encode is behind the wall clock, for /metrics.
      const metrics = await (await fetch(`http://127.0.0.1:${stack.transcoderHttpPorts[0]}/metrics`)).text();
      expect(Number(/^reelroom_live_encode_lag_seconds_count\{app="transcoder"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);

      const stopAt = Date.now();
      await publisher.stop();
      await eventually(async () => (await liveOf(viewer)).status, 2_000).toBe('ended');
      const msToEnded = Date.now() - stopAt;
      expect((await announcedEnd).playbackUrl).toBeNull();
      console.warn(`[live] publisher stop -> status ended: ${msToEnded} ms`);

      // The same segments become the replay: a ready media of the room, VOD playlists with ENDLIST.
      await eventually(async () => (await liveOf(viewer)).replayMediaId, 60_000).toBe(liveId);
      const replay = await viewer.json<MediaView>('GET', `/api/media/${liveId}`);
      expect(replay).toMatchObject({ id: liveId, roomId: room.id, status: 'ready', playable: true, kind: 'video' });
      expect(replay.renditions.map((r) => r.height)).toEqual([720, 480, 360]);
      expect(replay.durationSec).toBeGreaterThan(3);
      // Poster and storyboard as for an upload, served to members.
      expect(replay.posterUrl).toBe(`/media/${liveId}/poster.jpg`);
      expect(replay.storyboardUrl).toBe(`/media/${liveId}/storyboard.vtt`);
      expect((await viewer.request('GET', replay.posterUrl!)).headers.get('content-type')).toBe('image/jpeg');
      const list = await viewer.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`);
      expect(list.map((m) => m.id)).toContain(liveId);
      for (const uri of [...variants.map((v) => v.uri), 'audio/index.m3u8']) {
        const text = await (await viewer.request('GET', base + uri)).text();
        expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
        expect(parseMediaPlaylist(text).ended).toBe(true);
      }
      // The replay's master gains I-frame playlists, one per video rung.
      const replayMaster = await (await viewer.request('GET', live.playbackUrl!)).text();
      expect(parseIFrameStreams(replayMaster).map((i) => i.URI)).toEqual(variants.map((v) => v.uri.replace('index.m3u8', 'iframes.m3u8')));
      firstLive = { liveId, rungs: variants.map((v) => v.uri.split('/')[0]) };
    } finally {
      socket.disconnect();
    }
  });
});

describe('a dropped encoder', () => {
  it('shows "starting" while it may reconnect, and the same live goes on when it comes back', async () => {
    const { streamKey } = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live/rotate-key`, undefined, 201);
    const first = startPublisher(streamKey);
    await eventually(async () => (await liveOf(viewer)).status, 60_000).toBe('live');
    const { playbackUrl } = await liveOf(viewer);
    const rung = playbackUrl!.replace(/master\.m3u8$/, 'low/index.m3u8');
    const segments = async () => parseMediaPlaylist(await (await viewer.request('GET', rung)).text()).segments.length;
    await eventually(segments, 30_000).toBeGreaterThanOrEqual(2);

    // A drop, not a stop: no deleteStream, the TCP connection just dies.
    first.process.kill('SIGKILL');
    await eventually(async () => (await liveOf(viewer)).status, 2_000).toBe('starting');
    const before = await segments();

    const second = startPublisher(streamKey);
    await eventually(async () => (await liveOf(viewer)).status, 10_000).toBe('live');
    expect((await liveOf(viewer)).playbackUrl).toBe(playbackUrl);
    // The transcoder kept reading the same stream: the same playlists grow on.
    await eventually(segments, 20_000).toBeGreaterThan(before + 2);

    await second.stop();
    await eventually(async () => (await liveOf(viewer)).status, 2_000).toBe('ended');
    await eventually(async () => (await liveOf(viewer)).replayMediaId, 60_000).not.toBeNull();
  });
});

describe('refused publishers', () => {
  it('refuses an unknown key, a disabled key and a closed room: no files, no job, no state change', async () => {
    const folders = mediaFolders();
    const jobs = await jobCount();
    const before = await liveOf(viewer);

    const unknown = startPublisher('A'.repeat(43));
    expect(await unknown.exited).not.toBe(0);

    // DELETE disables the key: publishing with it is refused from then on.
    const { streamKey } = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live/rotate-key`, undefined, 201);
    expect((await host.request('DELETE', `/api/rooms/${room.id}/live`)).status).toBe(204);
    const disabled = startPublisher(streamKey);
    expect(await disabled.exited).not.toBe(0);

    // A closed room: its key still exists but nothing may start there.
    const closing = await host.createRoom('Closing');
    const closedKey = await host.json<LiveKeyView>('POST', `/api/rooms/${closing.id}/live`, {}, 201);
    await host.json('POST', `/api/rooms/${closing.id}/close`, undefined, 200);
    const closed = startPublisher(closedKey.streamKey);
    expect(await closed.exited).not.toBe(0);

    expect(mediaFolders()).toEqual(folders);
    expect(await jobCount()).toBe(jobs);
    expect(await liveOf(viewer)).toEqual(before);
    expect((await liveOf(host, closing.id)).status).toBe('idle');
  });
});

describe('stream keys across API processes', () => {
  it('a key made or rotated through one API process holds at once on the RTMP server of another', async () => {
    // OBS may reach any API process (a load balancer in front of RTMP); its key map must already be
    // right when the publish arrives, since the publish check is synchronous.
    const secondRtmp = await freePort();
    await stack.startSecondApi({ RTMP_PORT: String(secondRtmp) });
    const viaSecond = (key: string) => {
      keysUsed.add(key);
      const p = publish(`rtmp://127.0.0.1:${secondRtmp}/live/${key}`, { seconds: 60 });
      publishers.push(p);
      return p;
    };

    const { streamKey: first } = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, {}, 201);
    const accepted = viaSecond(first);
    await eventually(async () => (await liveOf(viewer)).status, 15_000).not.toBe('idle');
    expect(accepted.process.exitCode).toBeNull();
    await accepted.stop();
    await eventually(async () => ['starting', 'live'].includes((await liveOf(viewer)).status), 30_000).toBe(false);

    await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live/rotate-key`, undefined, 201);
    const stale = viaSecond(first);
    expect(await stale.exited).not.toBe(0);
    expect(readFileSync(join(stack.logDir, 'api-2.log'), 'utf8')).toContain('"reason":"unknown key"');
  });
});

// Last in the file: ffprobe runs synchronously and blocks this process for seconds, after which the
// next HTTP request could reuse a keep-alive socket the server has just closed ("other side closed").
describe('logs', () => {
  it('never contain a stream key, whatever happened to the publisher', () => {
    expect(keysUsed.size).toBeGreaterThan(3);
    const logs = readdirSync(stack.logDir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(stack.logDir, f), 'utf8'))
      .join('\n');
    expect(logs).toContain('RTMP publish refused');
    for (const key of keysUsed) expect(logs).not.toContain(key);
  });
});

describe('the replay of a live', () => {
  it('has keyframes aligned across rungs: every segment starts with one, at the same time on each rung', () => {
    expect(firstLive).toBeDefined();
    const starts = firstLive!.rungs.map((rung) => {
      const segs = rungSegmentStarts(join(stack.mediaRoot, firstLive!.liveId, 'hls', rung));
      expect(segs.every((x) => x.key)).toBe(true);
      return segs.map((x) => Math.round(x.pts * 10) / 10);
    });
    expect(starts[0].length).toBeGreaterThan(3);
    expect(starts[1]).toEqual(starts[0]);
    expect(starts[2]).toEqual(starts[0]);
  });
});
