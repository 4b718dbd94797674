import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPosition } from '@reelroom/sync';
import type { LiveKeyView, LiveStateView, PlaybackStateView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { publish, type Publisher } from '../support/live.js';
import { ask, connectSocket, nextEvent, okData, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

// Issue 8: the room's playback state knows a live. Real RTMP publisher, transcoder and socket.io: the
// host switches the room to its live and back to a video of the library; a live is never paused, sought
// or slowed for the room (each person's own player does that, then "Jump to live").
let stack: Stack;
let host: ApiClient;
let viewer: ApiClient;
let room: RoomView;
let publisher: Publisher | undefined;
const sockets: WireSocket[] = [];

beforeAll(async () => {
  stack = await startStack({ transcoders: 1, web: false });
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
  room = await host.createRoom('Live together');
  viewer = new ApiClient(stack.baseUrl);
  await viewer.register(undefined, 'Viewer');
  await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  publisher?.process.kill('SIGKILL');
  await stack?.stop();
});

async function joined(client: ApiClient) {
  const socket = await connectSocket(stack.baseUrl, client.token!);
  sockets.push(socket);
  const snapshot = okData(await ask<RoomSnapshot>(socket, 'room:join', { roomId: room.id }));
  return { socket, snapshot };
}

describe('a live in the room playback state', () => {
  it('goes to its live by itself when idle, switches for everyone, keeps pause per person, and goes to the recording at the end', async () => {
    const h = await joined(host);
    const v = await joined(viewer);
    const liveOf = () => viewer.json<LiveStateView>('GET', `/api/rooms/${room.id}/live`);
    const { streamKey } = await host.json<LiveKeyView>('POST', `/api/rooms/${room.id}/live`, {}, 201);

    // Not on air yet: nothing to switch to.
    const early = await ask<PlaybackStateView>(h.socket, 'sync:command', {
      type: 'live',
      liveId: '0b6a3c55-2f0e-4d1e-9d8e-5a1f7c2b9e10',
      position: 3,
      baseSeq: h.snapshot.playback.seq,
    });
    expect(early.ok || early.error).toMatch(/not on air/);

    // The room is idle: when the live goes on air the room goes to it by itself, at live time 0 started
    // a moment ahead (so that everyone sits about the latency hint behind the edge).
    const wentLive = nextEvent(v.socket, 'sync:state', (s) => !!s.liveId, 90_000);
    publisher = publish(`rtmp://127.0.0.1:${stack.rtmpPort}/live/${streamKey}`, { size: '640x360' });
    await eventually(async () => (await liveOf()).status, 90_000).toBe('live');
    const liveId = (await liveOf()).liveId!;
    expect((await liveOf()).playbackUrl).toBe(`/media/${liveId}/master.m3u8`);
    const auto = await wentLive;
    expect(auto).toMatchObject({ liveId, mediaId: null, paused: false, position: 0, by: { userId: 'system' } });
    expect(auto.anchorServerTime).toBeGreaterThan(Date.now());

    // The host switches the room to another live position: the viewer gets the same state, so both derive the same position.
    const heard = nextEvent(v.socket, 'sync:state', (s) => s.liveId === liveId && s.seq > auto.seq);
    const switched = okData(
      await ask<PlaybackStateView>(h.socket, 'sync:command', { type: 'live', liveId, position: 4.5, baseSeq: auto.seq }),
    );
    expect(switched).toMatchObject({ liveId, mediaId: null, paused: false, position: 4.5, rate: 1 });
    const atViewer = await heard;
    expect(atViewer).toEqual(switched);
    const t = Date.now() + 5_000;
    expect(expectedPosition(atViewer, t)).toBe(expectedPosition(switched, t));
    // A late joiner gets it in the snapshot.
    expect((await joined(viewer)).snapshot.playback).toEqual(switched);

    // Pausing a live is per person: the room refuses, nothing changes for the others.
    const pause = await ask<PlaybackStateView>(v.socket, 'sync:command', { type: 'pause', baseSeq: switched.seq });
    expect(pause.ok || pause.error).toMatch(/Jump to live/);
    const seek = await ask<PlaybackStateView>(h.socket, 'sync:command', { type: 'seek', position: 1, baseSeq: switched.seq });
    expect(seek).toMatchObject({ ok: false });

    // After the live, its recording is a library video, and the room still on the live goes to it by
    // itself, paused at the start, for everyone.
    const toReplay = nextEvent(v.socket, 'sync:state', (s) => s.mediaId === liveId, 90_000);
    await publisher.stop();
    await eventually(async () => (await liveOf()).replayMediaId, 90_000).toBe(liveId);
    const back = await toReplay;
    expect(back).toMatchObject({ mediaId: liveId, paused: true, position: 0, seq: switched.seq + 1 });
    expect(back.liveId).toBeUndefined();
    expect((await joined(viewer)).snapshot.playback).toEqual(back);
  }, 300_000);
});
