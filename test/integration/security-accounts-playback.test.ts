import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse, ChatMessage, PlaybackStateView, RoomSnapshot, RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket, okData, onEvent, type Reply, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';

// Issue 9, "Rooms": a viewer with control unlocked sent 39 play/pause commands in 3 s, each writing a
// system line that pushed real messages out of the history; muted people could still react and type.

let stack: Stack;
let host: ApiClient;
let room: RoomView;
let mediaId: string;
const sockets: WireSocket[] = [];
const connect = async (token: string) => {
  const s = await connectSocket(stack.baseUrl, token);
  sockets.push(s);
  return s;
};
const guest = async (displayName: string) =>
  new ApiClient(stack.baseUrl).json<AuthResponse>('POST', `/api/rooms/${room.id}/guest`, { displayName }, 201);

beforeAll(async () => {
  stack = await startStack({ web: false, env: { PLAYBACK_BURST: '5', PLAYBACK_PER_SEC: '1' } });
  host = new ApiClient(stack.baseUrl);
  await host.register(undefined, 'Host');
  room = await host.createRoom('Control');
  const clip = await makeClip({ seconds: 2, width: 160, height: 120 });
  mediaId = (await host.waitForMedia((await host.upload(room.id, clip)).id)).id;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('playback commands and system lines', () => {
  it('rate-limits 39 rapid play/pause commands per person and folds their system lines into one', async () => {
    const hs = await connect(host.token!);
    okData(await ask<RoomSnapshot>(hs, 'room:join', { roomId: room.id }));
    const picked = await ask<PlaybackStateView>(hs, 'sync:command', { type: 'media', mediaId, baseSeq: 0 });
    let seq = okData(picked).seq;
    expect((await ask<ChatMessage>(hs, 'chat:send', { body: 'a real message' })).ok).toBe(true);

    const viewer = await guest('Rapid');
    const vs = await connect(viewer.accessToken);
    okData(await ask<RoomSnapshot>(vs, 'room:join', { roomId: room.id }));
    const replies: Array<Reply<PlaybackStateView>> = [];
    for (let i = 0; i < 39; i++) {
      const r = await ask<PlaybackStateView>(vs, 'sync:command', { type: i % 2 ? 'pause' : 'play', baseSeq: seq });
      if (r.ok) seq = r.data.seq;
      replies.push(r);
    }
    expect(replies.filter((r) => r.ok).length).toBeLessThanOrEqual(6); // the burst, and maybe one refill
    const refused = replies.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, error: 'You are changing playback too fast. Slow down.' });
    expect(refused && !refused.ok && refused.retryAfterMs).toBeGreaterThan(0);

    // History: the real message is still there, and the viewer's whole burst is one line (the last command's).
    const lastOk = replies.map((r) => r.ok).lastIndexOf(true);
    const lastLine = lastOk % 2 ? /^Rapid paused/ : /^Rapid pressed play/;
    const history = async () => {
      const check = await connect(host.token!);
      const snap = okData(await ask<RoomSnapshot>(check, 'room:join', { roomId: room.id }));
      check.disconnect();
      return snap.chat.map((m) => m.body);
    };
    await eventually(async () => (await history()).filter((b) => /^Rapid (pressed play|paused)/.test(b))).toEqual([
      expect.stringMatching(lastLine),
    ]);
    expect(await history()).toContain('a real message');
  });

  it('refuses reactions and typing from a muted person', async () => {
    const hs = await connect(host.token!);
    okData(await ask<RoomSnapshot>(hs, 'room:join', { roomId: room.id }));
    const sent = okData(await ask<ChatMessage>(hs, 'chat:send', { body: 'react to me' }));
    const quiet = await guest('Quiet');
    const qs = await connect(quiet.accessToken);
    okData(await ask<RoomSnapshot>(qs, 'room:join', { roomId: room.id }));
    expect((await ask(hs, 'mod:mute', { userId: quiet.user.id, minutes: 5 })).ok).toBe(true);

    const typing: unknown[] = [];
    onEvent(hs, 'chat:typing', (p) => typing.push(p));
    const react = await ask(qs, 'chat:react', { messageId: sent.id, emoji: '👍', on: true });
    expect(react).toMatchObject({ ok: false });
    expect(react.ok === false && react.error).toMatch(/muted you/);
    expect(await ask(qs, 'chat:typing', { typing: true })).toMatchObject({ ok: false });
    // A probe after them: once the host sees the probe, the typing event (had it been relayed) came first.
    const probe = await guest('Probe');
    const ps = await connect(probe.accessToken);
    okData(await ask<RoomSnapshot>(ps, 'room:join', { roomId: room.id }));
    ps.emit('chat:typing', { typing: true });
    await eventually(() => typing.length).toBe(1);
    expect(typing).toEqual([{ userId: probe.user.id, name: 'Probe', typing: true }]);
  });
});
