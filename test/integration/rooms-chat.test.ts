import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOM_JOIN_REFUSED,
  type AuthResponse,
  type ChatMessage,
  type Member,
  type MediaView,
  type RoomSnapshot,
  type RoomView,
} from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket, disconnected, nextEvent as next, okData, onEvent, type Reply, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';

let stack: Stack;

/** A guest's client: signed in with the token the guest join answered with. */
class GuestClient extends ApiClient {
  constructor(
    baseUrl: string,
    readonly auth: AuthResponse,
  ) {
    super(baseUrl, auth.accessToken);
  }
}
async function guest(roomId: string, displayName: string, pin?: string, baseUrl = stack.baseUrl): Promise<GuestClient> {
  const auth = await new ApiClient(baseUrl).json<AuthResponse & { room: RoomView }>(
    'POST',
    `/api/rooms/${roomId}/guest`,
    { displayName, pin },
    201,
  );
  return new GuestClient(baseUrl, auth);
}

const sockets: WireSocket[] = [];
const connect = async (token: string, baseUrl = stack.baseUrl): Promise<WireSocket> => {
  const s = await connectSocket(baseUrl, token);
  sockets.push(s);
  return s;
};
const joinRoom = async (s: WireSocket, roomId: string) => okData(await ask<RoomSnapshot>(s, 'room:join', { roomId }));

let owner: ApiClient;

beforeAll(async () => {
  stack = await startStack({ web: false });
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('rooms: PIN, guests, roles', () => {
  it('joins with the right PIN, refuses a wrong PIN like an unknown room, then rate-limits with 429', async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Locked', pin: '4242' }, 201);
    expect(room.hasPin).toBe(true);
    const alice = new ApiClient(stack.baseUrl);
    await alice.register();
    const wrong = await alice.request('POST', `/api/rooms/${room.id}/join`, { pin: '0000' });
    const unknown = await alice.request('POST', `/api/rooms/${'A'.repeat(22)}/join`, { pin: '0000' });
    expect([wrong.status, unknown.status]).toEqual([404, 404]);
    expect((await errorOf(wrong)).message).toBe(ROOM_JOIN_REFUSED);
    expect((await errorOf(unknown)).message).toBe(ROOM_JOIN_REFUSED);
    expect((await alice.request('GET', `/api/rooms/${room.id}`)).status).toBe(404);
    expect((await alice.json<RoomView>('POST', `/api/rooms/${room.id}/join`, { pin: '4242' })).myRole).toBe('viewer');

    const mallory = new ApiClient(stack.baseUrl);
    await mallory.register();
    for (let i = 0; i < 4; i++) expect((await mallory.request('POST', `/api/rooms/${room.id}/join`, { pin: `100${i}` })).status).toBe(404);
    const limited = await mallory.request('POST', `/api/rooms/${room.id}/join`, { pin: '4242' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).message).toContain(ROOM_JOIN_REFUSED);
  });

  it('lets a guest join with a display name, chat, and not upload (403)', async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Open', pin: '1111' }, 201);
    const g = await guest(room.id, 'Gus', '1111');
    expect(g.auth.user).toMatchObject({ displayName: 'Gus', isGuest: true, email: null });
    const s = await connect(g.auth.accessToken);
    const snap = await joinRoom(s, room.id);
    expect(snap.me).toMatchObject({ name: 'Gus', role: 'viewer' });
    const sent = await ask<ChatMessage>(s, 'chat:send', { body: 'hello <b>all</b>' });
    expect(sent).toMatchObject({ ok: true, data: { body: 'hello <b>all</b>', author: { name: 'Gus' } } });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(1000)]), 'x.mp4');
    const up = await g.request('POST', `/api/rooms/${room.id}/media`, form);
    expect(up.status).toBe(403);
    expect((await errorOf(up)).message).toBe('Create an account to upload.');
    const tus = await g.raw('POST', '/api/uploads', {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': '1000',
      'Upload-Metadata': `roomId ${Buffer.from(room.id).toString('base64')}`,
    });
    expect(tus.status).toBe(403);
  });

  it('sends the last 50 messages on join, refuses 501 characters, and says slow down after a burst', async () => {
    const room = await owner.createRoom('Chatty');
    for (let u = 0; u < 11; u++) {
      const s = await connect((await guest(room.id, `G${u}`)).auth.accessToken);
      await joinRoom(s, room.id);
      for (let i = 0; i < 5; i++) expect((await ask(s, 'chat:send', { body: `m${u * 5 + i}` })).ok).toBe(true);
      s.disconnect();
    }
    const s = await connect(owner.token!);
    const snap = await joinRoom(s, room.id);
    expect(snap.chat).toHaveLength(50);
    const bodies = snap.chat.filter((m) => m.kind === 'user').map((m) => m.body);
    expect(bodies.at(-1)).toBe('m54');
    expect(new Date(snap.chat[0].createdAt).getTime()).toBeLessThanOrEqual(new Date(snap.chat[49].createdAt).getTime());

    const long = await ask(s, 'chat:send', { body: 'x'.repeat(501) });
    expect(long.ok).toBe(false);
    const replies: Array<Reply<ChatMessage>> = [];
    for (let i = 0; i < 7; i++) replies.push(await ask<ChatMessage>(s, 'chat:send', { body: `burst ${i}` }));
    expect(replies.slice(0, 5).every((r) => r.ok)).toBe(true);
    const refused = replies[5];
    expect(refused).toMatchObject({ ok: false, error: 'You are sending messages too fast. Slow down.' });
    expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(0);
  });

  it('handles reactions, replies, moderator deletes and mutes', async () => {
    const room = await owner.createRoom('Mods');
    const host = await connect(owner.token!);
    await joinRoom(host, room.id);
    const mod = await guest(room.id, 'Mo');
    const view = await guest(room.id, 'Vi');
    const ms = await connect(mod.auth.accessToken);
    const vs = await connect(view.auth.accessToken);
    await joinRoom(ms, room.id);
    await joinRoom(vs, room.id);
    const you = next(ms, 'room:you');
    expect((await ask<Member[]>(host, 'mod:role', { userId: mod.auth.user.id, role: 'moderator' })).ok).toBe(true);
    expect(await you).toMatchObject({ role: 'moderator' });

    const first = await ask<ChatMessage>(vs, 'chat:send', { body: 'first!' });
    if (!first.ok) throw new Error(first.error);
    const updated = next(host, 'chat:updated', (m) => m.id === first.data.id);
    expect((await ask<ChatMessage>(ms, 'chat:react', { messageId: first.data.id, emoji: '🎉', on: true })).ok).toBe(true);
    expect((await updated).reactions).toEqual({ '🎉': [mod.auth.user.id] });
    // (the host's per-user bucket is spent by the burst test above: the moderator replies)
    const reply = await ask<ChatMessage>(ms, 'chat:send', { body: 'welcome', replyToId: first.data.id });
    expect(reply).toMatchObject({ ok: true, data: { replyTo: { id: first.data.id, authorName: 'Vi', excerpt: 'first!' } } });
    // A viewer cannot delete someone else's message; a moderator can.
    if (!reply.ok) throw new Error('reply');
    expect(await ask(vs, 'chat:delete', { messageId: reply.data.id })).toMatchObject({ ok: false });
    expect(await ask(ms, 'chat:delete', { messageId: first.data.id })).toMatchObject({ ok: true, data: { deleted: true, body: '' } });

    expect((await ask(ms, 'mod:mute', { userId: view.auth.user.id, minutes: 5 })).ok).toBe(true);
    const muted = await ask(vs, 'chat:send', { body: 'can I talk?' });
    expect(muted).toMatchObject({ ok: false });
    expect(muted.ok === false && muted.error).toMatch(/muted/);
    // Moderators cannot act on the host.
    expect(await ask(ms, 'mod:kick', { userId: (await owner.json<{ id: string }>('GET', '/api/auth/me')).id, ban: false })).toMatchObject({
      ok: false,
    });
  });

  it('kicks and bans: the target is told and disconnected, and cannot rejoin', async () => {
    const room = await owner.createRoom('Bans');
    const host = await connect(owner.token!);
    await joinRoom(host, room.id);
    const troll = await guest(room.id, 'Troll');
    const ts = await connect(troll.auth.accessToken);
    await joinRoom(ts, room.id);
    const kicked = next(ts, 'room:kicked');
    const gone = disconnected(ts);
    expect((await ask(host, 'mod:kick', { userId: troll.auth.user.id, ban: true })).ok).toBe(true);
    expect((await kicked).message).toMatch(/banned/);
    await gone;
    const again = await connect(troll.auth.accessToken);
    expect(await ask(again, 'room:join', { roomId: room.id })).toMatchObject({ ok: false, error: ROOM_JOIN_REFUSED });
    expect((await troll.request('POST', `/api/rooms/${room.id}/join`, {})).status).toBe(404);
  });

  it('closes the room: everyone is told and disconnected, joins are refused', async () => {
    const room = await owner.createRoom('Closing');
    const host = await connect(owner.token!);
    await joinRoom(host, room.id);
    const g = await guest(room.id, 'Late');
    const gs = await connect(g.auth.accessToken);
    await joinRoom(gs, room.id);
    const closed = [next(host, 'room:closed'), next(gs, 'room:closed')];
    const gone = [disconnected(host), disconnected(gs)];
    expect((await owner.json<RoomView>('POST', `/api/rooms/${room.id}/close`, undefined, 200)).closedAt).not.toBeNull();
    expect((await Promise.all(closed)).map((c) => c.message)).toEqual([
      'This room was closed by the host',
      'This room was closed by the host',
    ]);
    await Promise.all(gone);
    expect((await new ApiClient(stack.baseUrl).request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'X' })).status).toBe(404);
    expect((await owner.json<RoomView>('GET', `/api/rooms/${room.id}`)).closedAt).not.toBeNull();
    const back = await connect(g.auth.accessToken);
    expect(await ask(back, 'room:join', { roomId: room.id })).toMatchObject({ ok: false, error: 'This room was closed by the host' });
  });

  it('disconnects only the socket that sends an oversized payload, and survives bad payloads', async () => {
    const room = await owner.createRoom('Big');
    const a = await connect((await guest(room.id, 'A')).auth.accessToken);
    const b = await connect((await guest(room.id, 'B')).auth.accessToken);
    await joinRoom(a, room.id);
    await joinRoom(b, room.id);
    expect(await ask(b, 'chat:send', { body: 42 })).toMatchObject({ ok: false });
    expect(await ask(b, 'mod:kick', null)).toMatchObject({ ok: false });
    const gone = disconnected(a);
    a.emit('chat:send', { body: 'x'.repeat(20_000) });
    await gone;
    expect((await ask(b, 'chat:send', { body: 'still here' })).ok).toBe(true);
  });
});

describe('two API processes', () => {
  it('share chat and presence, and deliver media events once', async () => {
    const second = await stack.startSecondApi();
    const room = await owner.createRoom('Cluster');
    const onA = await connect(owner.token!);
    await joinRoom(onA, room.id);
    const g = await guest(room.id, 'Bea', undefined, second.baseUrl);
    const onB = await connect(g.auth.accessToken, second.baseUrl);
    const arrival = next(onA, 'presence:delta', (d) => d.changes.some((c) => c.kind === 'upsert' && c.member.name === 'Bea'));
    expect((await joinRoom(onB, room.id)).members.map((m) => m.name).sort()).toEqual(['Bea', 'Host']);
    await arrival;

    const fromA = next(onB, 'chat:message', (m) => m.body === 'hi from A');
    await ask(onA, 'chat:send', { body: 'hi from A' });
    await fromA;
    const fromB = next(onA, 'chat:message', (m) => m.body === 'hi from B');
    await ask(onB, 'chat:send', { body: 'hi from B' });
    await fromB;

    const readyOnA: MediaView[] = [];
    const readyOnB: MediaView[] = [];
    onEvent(onA, 'media:updated', (m) => m.status === 'ready' && readyOnA.push(m));
    onEvent(onB, 'media:updated', (m) => m.status === 'ready' && readyOnB.push(m));
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: mkdtempSync(join(tmpdir(), 'rr-rooms-')), name: 'c.mp4' });
    const media = await owner.upload(room.id, clip);
    await owner.waitForMedia(media.id);
    await eventually(() => [readyOnA.length, readyOnB.length]).toEqual([1, 1]);
    // A duplicate would be the other process's copy, relayed through the Redis adapter. Each process
    // relays in order, so once a chat line sent through each process after its "ready" has arrived on
    // the other side, any duplicate would have arrived before it.
    const markerOnA = next(onA, 'chat:message', (m) => m.body === 'marker from B');
    const markerOnB = next(onB, 'chat:message', (m) => m.body === 'marker from A');
    okData(await ask(onA, 'chat:send', { body: 'marker from A' }));
    okData(await ask(onB, 'chat:send', { body: 'marker from B' }));
    await Promise.all([markerOnA, markerOnB]);
    expect(readyOnA).toHaveLength(1);
    expect(readyOnB).toHaveLength(1);
  });
});
