import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, PlaybackStateView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask as askWithin, connectSocket as connect, nextEvent, okData, type WireSocket } from '../support/socket.js';
import { repeatUntil } from '../support/wait.js';

const ask = <T>(s: WireSocket, event: keyof ClientToServerEvents, payload: unknown) => askWithin<T>(s, event, payload, 10_000);
const nextState = (s: WireSocket, pred: (st: PlaybackStateView) => boolean = () => true) => nextEvent(s, 'sync:state', pred);

describe('synchronized playback (real stack, Redis, two API processes)', () => {
  let stack: Stack;
  let second: { baseUrl: string };
  let host: ApiClient;
  let viewer: ApiClient;
  let room: RoomView;
  let mediaId: string;
  const sockets: WireSocket[] = [];

  beforeAll(async () => {
    stack = await startStack({ web: false });
    second = await stack.startSecondApi();
    host = new ApiClient(stack.baseUrl);
    viewer = new ApiClient(stack.baseUrl);
    await host.register(undefined, 'Ana');
    await viewer.register(undefined, 'Bo');
    room = await host.createRoom();
    await viewer.json('POST', `/api/rooms/${room.id}/join`, {});
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

    // The wire socket is untyped (see support/socket.ts): its reply is the contract's time:ping ack.
    const ping = (await a.timeout(10_000).emitWithAck('time:ping', { t0: 123 })) as { t0: number; serverTime: number };
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
    expect(await ask(b, 'sync:command', { type: 'pause', baseSeq: 3 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/host and moderators/) as string,
    });
    expect(await ask(a, 'sync:command', { type: 'pause', baseSeq: 3 })).toMatchObject({ ok: true, data: { paused: true, seq: 4 } });
    await host.json('PATCH', `/api/rooms/${room.id}`, { controlLocked: false });
  });

  it('wait for everyone: a buffering report pauses the room, ready resumes it', async () => {
    const [a, b] = sockets;
    await host.json('PATCH', `/api/rooms/${room.id}`, { waitForEveryone: true });
    const cur = okData(await ask<RoomSnapshot>(a, 'room:join', { roomId: room.id }));
    const { seq } = okData(await ask<PlaybackStateView>(a, 'sync:command', { type: 'play', baseSeq: cur.playback.seq }));

    // A stalled player reports "buffering" twice a second until the room waits for it. The first reports
    // may reach b's API process before it re-reads the room options (cached up to 2 s per process).
    const paused = nextState(a, (s) => s.seq === seq + 1);
    const report = () => b.emit('player:status', { state: 'buffering', driftMs: 0, noWait: false });
    expect(await repeatUntil(paused, report, { everyMs: 500, timeoutMs: 10_000 })).toMatchObject({
      paused: true,
      by: { userId: 'system' },
    });

    const resumed = nextState(a, (s) => s.seq === seq + 2);
    b.emit('player:status', { state: 'paused', driftMs: 0, noWait: false });
    expect(await resumed).toMatchObject({ paused: false });
  });
});
