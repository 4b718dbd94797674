import { execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_PUBLISH_SENTENCES, type LiveStateView, type MediaView, type RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { openPublish, pipeRecorder, recorder } from '../support/browser-publish.js';
import { parseMaster } from '../support/hls.js';
import { openMediaQueue } from '../support/queue.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Going live from the browser with real parts: the page's recorder played by ffmpeg (H.264 + Opus in
// Matroska, at real time) over a real WebSocket into the API's relay ffmpeg, RTMP into the API's own
// node-media-server, the live queue, the transcoder's ladder, HLS, and the replay.
let stack: Stack;
let host: ApiClient;
let viewer: ApiClient;
let room: RoomView;
let liveQueue: ReturnType<typeof openMediaQueue>;
const children: ChildProcess[] = [];

const MIME = 'video/webm;codecs=h264,opus';
const bearer = (c: ApiClient) => ({ authorization: `Bearer ${c.token ?? ''}` });
const liveOf = (roomId = room.id) => viewer.json<LiveStateView>('GET', `/api/rooms/${roomId}/live`);
/** A new room of the host, joined by the viewer, live from a page sending a recording in real time. */
async function liveInNewRoom(name: string) {
  const other = await host.createRoom(name);
  await viewer.json('POST', `/api/rooms/${other.id}/join`, {}, 200);
  const conn = openPublish(stack.baseUrl, { room: other.id, mime: MIME, headers: bearer(host) });
  await conn.ready;
  const rec = recorder({ seconds: 120 });
  children.push(rec);
  pipeRecorder(rec, conn);
  await eventually(() => liveOf(other.id), 60_000).toMatchObject({ status: 'live' });
  return { room: other, conn, rec };
}
const jobCount = async () => {
  const c = await liveQueue.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  return Object.values(c).reduce((a, b) => a + b, 0);
};

beforeAll(async () => {
  stack = await startStack({ transcoders: 1, web: false, env: { BROWSER_LIVE_STALL_SEC: '3' } });
  liveQueue = openMediaQueue(stack.queuePrefix, 'live');
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
  room = await host.createRoom('Camera night');
  viewer = new ApiClient(stack.baseUrl);
  await viewer.register(undefined, 'Viewer');
  await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200);
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await liveQueue?.close();
  await stack?.stop();
});

describe('who may go live from the browser', () => {
  it('refuses a viewer with a sentence, before any relay or job exists', async () => {
    const conn = openPublish(stack.baseUrl, { room: room.id, mime: MIME, headers: bearer(viewer) });
    expect(await conn.closed).toBe(4000);
    expect(conn.messages).toEqual([{ type: 'ended', reason: 'refused', message: 'Only the host can go live in this room.' }]);
    expect(await jobCount()).toBe(0);
  });

  it('refuses someone not signed in, a page of another site, and a format it cannot take', async () => {
    const anon = openPublish(stack.baseUrl, { room: room.id, mime: MIME });
    await anon.closed;
    expect(anon.messages).toEqual([{ type: 'ended', reason: 'refused', message: 'Sign in to continue.' }]);

    const cross = openPublish(stack.baseUrl, {
      room: room.id,
      mime: MIME,
      headers: { origin: 'https://evil.example', cookie: `reelroom_session=${host.token ?? ''}` },
    });
    await cross.closed;
    expect(cross.refusedStatus()).toBe(403);

    const badMime = openPublish(stack.baseUrl, { room: room.id, mime: 'text/html', headers: bearer(host) });
    await badMime.closed;
    expect(badMime.refusedStatus()).toBe(400);
    expect(await jobCount()).toBe(0);
  });

  it('drops a page that connects and then sends nothing, saying why', async () => {
    const conn = openPublish(stack.baseUrl, { room: room.id, mime: MIME, headers: bearer(host) });
    await conn.ready;
    expect(await conn.closed).toBe(4000);
    expect(conn.messages.at(-1)).toEqual({ type: 'ended', reason: 'lagging', message: BROWSER_PUBLISH_SENTENCES.stalled });
  });

  it('tells a page whose bytes are not a recording that its video could not be read', async () => {
    const conn = openPublish(stack.baseUrl, { room: room.id, mime: MIME, headers: bearer(host) });
    await conn.ready;
    // More than ffmpeg's probe size, so it has read enough to give up on it.
    for (let i = 0; i < 24; i++) conn.ws.send(Buffer.alloc(64 * 1024, i), { binary: true });
    expect(await conn.closed).toBe(4000);
    expect(conn.messages.at(-1)).toMatchObject({ type: 'ended', reason: 'failed' });
    await eventually(async () => (await liveOf()).status).toMatch(/^(idle|ended)$/);
  });
});

describe('a live from the browser', () => {
  it('plays as HLS for the room, ends when the page stops, and becomes a replay', async () => {
    const conn = openPublish(stack.baseUrl, { room: room.id, mime: MIME, headers: bearer(host) });
    await conn.ready;
    const rec = recorder({ seconds: 120 });
    children.push(rec);
    pipeRecorder(rec, conn);

    await eventually(liveOf, 60_000).toMatchObject({ status: 'live' });
    const live = await liveOf();
    expect(live.playbackUrl).toMatch(/^\/media\/.+\/master\.m3u8$/);
    const master = parseMaster(await (await viewer.request('GET', live.playbackUrl ?? '')).text());
    expect(master.length).toBeGreaterThan(0);
    // A second tab of the host cannot start another live in the same room.
    const second = openPublish(stack.baseUrl, { room: room.id, mime: MIME, headers: bearer(host) });
    await second.closed;
    expect(second.messages).toEqual([{ type: 'ended', reason: 'refused', message: BROWSER_PUBLISH_SENTENCES.busy }]);

    // The page's Stop: it closes the socket; the relay flushes and unpublishes cleanly.
    rec.kill('SIGKILL');
    conn.ws.close(1000);
    await eventually(liveOf, 15_000).toMatchObject({ status: 'ended' });
    await eventually(async () => (await liveOf()).replayMediaId, 60_000).toEqual(expect.any(String));
    const replayId = (await liveOf()).replayMediaId ?? '';
    const media = await viewer.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`);
    expect(media.find((m) => m.id === replayId)).toMatchObject({ status: 'ready' });
  });
});

describe('a live from the browser that the host ends', () => {
  it('tells the page the live ended, ends for the room, and logs no stream key', async () => {
    const { room: other, conn, rec } = await liveInNewRoom('Ended by the host');

    // The host's "End live" while the page still sends: the ingest hangs up on the relay, whose ffmpeg then
    // fails writing to it and names the URL it published to (with its one-time key) in what it prints.
    await host.request('DELETE', `/api/rooms/${other.id}/live`).then((r) => expect(r.status).toBe(204));
    await conn.closed;
    expect(conn.messages.at(-1)).toEqual({ type: 'ended', reason: 'ended', message: BROWSER_PUBLISH_SENTENCES.ended });
    rec.kill('SIGKILL');
    await eventually(() => liveOf(other.id), 15_000).toMatchObject({ status: 'ended' });

    const logs = readdirSync(stack.logDir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(stack.logDir, f), 'utf8'))
      .join('\n');
    expect(logs).toContain('browser relay stopped on its own');
    expect(logs).toContain('/live/[key]');
    expect(logs).not.toMatch(/rtmps?:\/\/[^\s"']*\/live\/[\w-]{16,}/);
  });
});

describe('a live from the browser whose relay falls behind', () => {
  it('tells the page its upload cannot keep up, drops it, and the live ends for the room', async () => {
    const { room: other, conn, rec } = await liveInNewRoom('Slow uplink');

    // The real relay, frozen (SIGSTOP: it reads nothing more, as when its RTMP side or the CPU cannot keep
    // up), while the page goes on sending: what ffmpeg has not read piles up in the API until the limit.
    const relayPid = execFileSync('pgrep', ['-f', `pipe:0 .*-f flv rtmp://[^ ]*:${stack.rtmpPort}/live/`], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(relayPid).toHaveLength(1);
    process.kill(Number(relayPid[0]), 'SIGSTOP');
    rec.kill('SIGKILL');
    for (let i = 0; i < 40 && conn.ws.readyState === conn.ws.OPEN; i++) conn.ws.send(Buffer.alloc(256 * 1024, i), { binary: true });

    expect(await conn.closed).toBe(4000);
    expect(conn.messages.at(-1)).toEqual({ type: 'ended', reason: 'lagging', message: BROWSER_PUBLISH_SENTENCES.lagging });
    // The relay was killed (a stopped process dies of SIGKILL too), so its RTMP connection dropped: the
    // live waits out the reconnect window like any dropped encoder, then ends.
    await eventually(() => existsPid(Number(relayPid[0])), 5_000).toBe(false);
    await eventually(() => liveOf(other.id), 20_000).toMatchObject({ status: 'ended' });
  });
});

function existsPid(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
