import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, MediaView, PlaybackStateView, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket, onEvent, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

/**
 * Playing while converting, when the room gets ahead of the encoder: the room holds a little before the
 * converted edge and plays on once the video is ready, decided once although two API processes hear every
 * progress report.
 */
describe('the room waits at the converted edge of a video still converting (real stack, two API processes)', () => {
  let stack: Stack;
  let host: ApiClient;
  let room: RoomView;
  let socket: WireSocket;

  beforeAll(async () => {
    stack = await startStack({ web: false });
    await stack.startSecondApi();
    host = new ApiClient(stack.baseUrl);
    await host.register(undefined, 'Ana');
    room = await host.createRoom();
    socket = await connectSocket(stack.baseUrl, host.token!);
    expect((await ask(socket, 'room:join', { roomId: room.id })).ok).toBe(true);
  });
  afterAll(async () => {
    socket?.disconnect();
    await stack?.stop();
  });

  // A 40 s 720p encode: about 20 s on an idle 2-core machine, minutes on a loaded one.
  it('holds before the edge, plays on when the video is ready, once', { timeout: 360_000 }, async () => {
    const states: PlaybackStateView[] = [];
    const lines: string[] = [];
    onEvent(socket, 'sync:state', (s) => states.push(s));
    // A system line arrives new (chat:message) or, when it follows Reelroom's previous one within the
    // fold window, as that line rewritten (chat:updated): either way it is shown once.
    for (const event of ['chat:message', 'chat:updated'] as const) {
      onEvent(socket, event, (m: ChatMessage) => {
        if (m.kind === 'system') lines.push(m.body);
      });
    }
    const clip = await makeClip({ seconds: 40, width: 1280, height: 720 });
    const { id: mediaId } = await host.upload(room.id, clip);
    // Playable as soon as the first segment of every rung exists, long before the 40 s are converted.
    await eventually(async () => (await host.json<MediaView>('GET', `/api/media/${mediaId}`)).playable, 60_000).toBe(true);

    const seq = (r: { ok: boolean; data?: PlaybackStateView }) => (r.ok ? r.data!.seq : -1);
    // Seek while paused, then play: a room playing from 0 can meet the converted edge (and be held by
    // Reelroom) before a later command lands, which then arrives stale (a loaded CI machine did that).
    const picked = seq(await ask(socket, 'sync:command', { type: 'media', mediaId, baseSeq: 0 }));
    const jumped = seq(await ask(socket, 'sync:command', { type: 'seek', position: 30, baseSeq: picked }));
    const played = await ask<PlaybackStateView>(socket, 'sync:command', { type: 'play', baseSeq: jumped });
    expect(played.ok).toBe(true);

    // The next progress report finds the room far past what exists: everyone pauses before the edge.
    await eventually(() => states.find((s) => s.by?.name === 'Reelroom' && s.paused), 30_000).toBeTruthy();
    const held = states.find((s) => s.by?.name === 'Reelroom' && s.paused)!;
    expect(held.position).toBeLessThan(30);
    const atHold = await host.json<MediaView>('GET', `/api/media/${mediaId}`);
    expect(atHold.status).toBe('processing');

    await host.waitForMedia(mediaId, ['ready'], 300_000);
    const trace = () => JSON.stringify(states.map((s) => [s.seq, s.by?.name, s.paused, Math.round(s.position * 10) / 10]));
    await eventually(() => states.at(-1), 30_000).toMatchObject({ paused: false, by: { name: 'Reelroom' } });
    // Two processes heard every report; each hold paused once and each resume played once.
    const system = states.filter((s) => s.by?.name === 'Reelroom');
    expect(
      system.map((s) => s.paused),
      trace(),
    ).toEqual(system.map((_, i) => i % 2 === 0));
    expect(new Set(states.map((s) => s.seq)).size).toBe(states.length);
    await eventually(() => lines.filter((l) => l.startsWith('Waiting for the conversion')).length).toBe(system.length / 2);
    await eventually(() => lines.filter((l) => l === 'Converted far enough: playing').length).toBe(system.length / 2);
  });
});
