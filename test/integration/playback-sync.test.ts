import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { PlaybackStateView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';

type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

function connect(baseUrl: string, token: string): Promise<Socket> {
  const s = io(baseUrl, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}
const ask = <T>(s: Socket, event: string, payload: unknown) =>
  new Promise<Reply<T>>((resolve) => s.timeout(10_000).emit(event, payload, (err: Error | null, r: Reply<T>) => resolve(err ? { ok: false, error: err.message } : r)));
const nextState = (s: Socket, pred: (st: PlaybackStateView) => boolean = () => true) =>
  new Promise<PlaybackStateView>((resolve) => {
    const on = (st: PlaybackStateView) => {
      if (!pred(st)) return;
      s.off('sync:state', on);
      resolve(st);
    };
    s.on('sync:state', on);
  });

describe('synchronized playback (real stack, Redis, two API processes)', () => {
  let stack: Stack;
  let second: { baseUrl: string };
  const host = new ApiClient('');
  const viewer = new ApiClient('');
  let room: RoomView;
  let mediaId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startStack({ web: false });
    second = await stack.startSecondApi();
    (host as { baseUrl: string }).baseUrl = stack.baseUrl;
    (viewer as { baseUrl: string }).baseUrl = stack.baseUrl;
    await host.register(undefined, 'Ana');
    await viewer.register(undefined, 'Bo');
    room = await host.createRoom();
    await viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 200).catch(() => viewer.json('POST', `/api/rooms/${room.id}/join`, {}, 201));
    const clip = await makeClip({ seconds: 6, width: 320, height: 240 });
    mediaId = (await host.waitForMedia((await host.upload(room.id, clip)).id)).id;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await stack?.stop();
  });

  it('shares commands across processes with seq+1, drops stale ones, validates rate, and locks control', async () => {
    const a = await connect(stack.baseUrl, host.token!);
    const b = await connect(second.baseUrl, viewer.token!); // the other API process
    sockets.push(a, b);
    const joinA = await ask<RoomSnapshot>(a, 'room:join', { roomId: room.id });
    const joinB = await ask<RoomSnapshot>(b, 'room:join', { roomId: room.id });
    expect(joinA.ok && joinA.data.playback).toMatchObject({ seq: 0, mediaId: null, paused: true });
    expect(joinB.ok).toBe(true);

    const ping = await new Promise<{ t0: number; serverTime: number }>((r) => a.emit('time:ping', { t0: 123 }, r));
    expect(ping.t0).toBe(123);
    expect(Math.abs(ping.serverTime - Date.now())).toBeLessThan(1000);

    const seenByB = nextState(b, (s) => s.seq === 1);
    const media = await ask<PlaybackStateView>(a, 'sync:command', { type: 'media', mediaId, baseSeq: 0 });
    expect(media).toMatchObject({ ok: true, data: { mediaId, seq: 1 } });
    expect(await seenByB).toMatchObject({ mediaId, seq: 1, by: { name: 'Ana' } });

    const playSeen = nextState(a, (s) => s.seq === 2);
    const play = await ask<PlaybackStateView>(b, 'sync:command', { type: 'play', baseSeq: 1 });
    expect(play).toMatchObject({ ok: true, data: { paused: false, seq: 2 } });
    const st = await playSeen;
    expect(st.anchorServerTime - Date.now()).toBeGreaterThan(0); // scheduled a little ahead
    expect(st.anchorServerTime - Date.now()).toBeLessThanOrEqual(1000);

    // The viewer changed the state (seq 2) since the host's view (seq 1): the host's command is stale.
    expect(await ask(a, 'sync:command', { type: 'pause', baseSeq: 1 })).toMatchObject({ ok: false });
    expect(await ask(a, 'sync:command', { type: 'rate', rate: 2.5, baseSeq: 2 })).toMatchObject({ ok: false });
    expect(await ask(a, 'sync:command', { type: 'rate', rate: 1.5, baseSeq: 2 })).toMatchObject({ ok: true, data: { rate: 1.5, seq: 3 } });

    // Both processes read the same state from Redis.
    const rejoinB = await ask<RoomSnapshot>(b, 'room:join', { roomId: room.id });
    expect(rejoinB.ok && rejoinB.data.playback.seq).toBe(3);

    await host.json('PATCH', `/api/rooms/${room.id}`, { controlLocked: true });
    expect(await ask(b, 'sync:command', { type: 'pause', baseSeq: 3 })).toMatchObject({ ok: false, error: expect.stringMatching(/host and moderators/) });
    expect(await ask(a, 'sync:command', { type: 'pause', baseSeq: 3 })).toMatchObject({ ok: true, data: { paused: true, seq: 4 } });
    await host.json('PATCH', `/api/rooms/${room.id}`, { controlLocked: false });
  });

  it('wait for everyone: a buffering report pauses the room, ready resumes it', async () => {
    const [a, b] = sockets;
    await host.json('PATCH', `/api/rooms/${room.id}`, { waitForEveryone: true });
    await new Promise((r) => setTimeout(r, 2100)); // room options are cached up to 2 s
    const cur = (await ask<RoomSnapshot>(a, 'room:join', { roomId: room.id })) as { ok: true; data: RoomSnapshot };
    const played = await ask<PlaybackStateView>(a, 'sync:command', { type: 'play', baseSeq: cur.data.playback.seq });
    expect(played.ok).toBe(true);
    const seq = (played as { data: PlaybackStateView }).data.seq;

    const paused = nextState(a, (s) => s.seq === seq + 1);
    b.emit('player:status', { state: 'buffering', driftMs: 0, noWait: false });
    expect(await paused).toMatchObject({ paused: true, by: { userId: 'system' } });

    const resumed = nextState(a, (s) => s.seq === seq + 2);
    b.emit('player:status', { state: 'paused', driftMs: 0, noWait: false });
    expect(await resumed).toMatchObject({ paused: false });
  });
});
