import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '@reelroom/contracts';
import { ChatService, SLOW_DOWN } from '../../chat/chat.service.js';
import { RoomAccessPolicy } from '../../rooms/room-access.policy.js';
import { authAs, FakeSocket } from '../../testing/fake-socket.js';
import { MemoryChatRepository } from '../../testing/memory-chat.repository.js';
import { MemoryLimitStore } from '../../testing/memory-limit.store.js';
import { MemoryRoomsRepository } from '../../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../../testing/recording.broadcaster.js';
import { silentLogger } from '../../testing/silent-logger.js';
import { SocketEvents } from '../socket-events.js';
import { ChatGateway, TYPING_EVERY_MS } from './chat.gateway.js';

const R = 'A'.repeat(22);
type Reply<T> = { ok: true; data: T } | { ok: false; error: string; retryAfterMs?: number };

function setup(config = { chatBurst: 5, chatPerSec: 1 }) {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: R }, 'host');
  for (const u of ['ana', 'bob']) rooms.seedMember(R, u);
  const access = new RoomAccessPolicy(rooms);
  const broadcast = new RecordingBroadcaster();
  const limits = new MemoryLimitStore();
  const gateway = new ChatGateway(
    new ChatService(new MemoryChatRepository(), access, broadcast),
    access,
    limits,
    new SocketEvents(silentLogger),
    config,
  );
  /** A connected socket, in room R unless told `null` (connected, no room joined). */
  const connect = (userId: string, roomId: string | null = R) => {
    const socket = new FakeSocket(authAs(userId), { roomId: roomId ?? undefined });
    gateway.bind(socket);
    return socket;
  };
  return { connect, broadcast, limits, rooms };
}

afterEach(() => {
  vi.useRealTimers();
});

describe(ChatGateway.name, () => {
  it('sends a message to the room and acks it; needs a joined room', async () => {
    const t = setup();
    const r = await t.connect('ana').send<Reply<ChatMessage>>('chat:send', { body: 'hello' });
    expect(r).toMatchObject({ ok: true, data: { body: 'hello', author: { id: 'ana', name: 'ANA' } } });
    expect(t.broadcast.payloads('chat:message').map((m) => m.body)).toEqual(['hello']);
    expect(await t.connect('ana', null).send('chat:send', { body: 'x' })).toEqual({ ok: false, error: 'Join a room first.' });
    expect(await t.connect('ana').send('chat:send', { body: 42 })).toMatchObject({ ok: false });
  });

  it('slows down a connection past its burst without asking Redis, with the time to wait', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const t = setup({ chatBurst: 2, chatPerSec: 1 });
    const s = t.connect('ana');
    expect((await s.send<Reply<ChatMessage>>('chat:send', { body: '1' })).ok).toBe(true);
    expect((await s.send<Reply<ChatMessage>>('chat:send', { body: '2' })).ok).toBe(true);
    const refused = await s.send<Reply<ChatMessage>>('chat:send', { body: '3' });
    expect(refused).toEqual({ ok: false, error: SLOW_DOWN, retryAfterMs: 1000 });
    expect(t.limits.taken).toEqual(['chat:ana', 'chat:ana']);
    vi.setSystemTime(1_001_000);
    expect((await s.send<Reply<ChatMessage>>('chat:send', { body: '4' })).ok).toBe(true);
  });

  it("shares one bucket per user across their connections (the store's), and keeps other users apart", async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const t = setup({ chatBurst: 2, chatPerSec: 1 });
    const [tab1, tab2] = [t.connect('ana'), t.connect('ana')];
    expect((await tab1.send<Reply<ChatMessage>>('chat:send', { body: '1' })).ok).toBe(true);
    expect((await tab2.send<Reply<ChatMessage>>('chat:send', { body: '2' })).ok).toBe(true);
    expect(await tab2.send('chat:send', { body: '3' })).toMatchObject({ ok: false, error: SLOW_DOWN, retryAfterMs: 1000 });
    expect((await t.connect('bob').send<Reply<ChatMessage>>('chat:send', { body: 'mine' })).ok).toBe(true);
  });

  it('relays typing to the others in the room: starts at most once a second, a stop after each relayed start', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    const t = setup();
    const s = t.connect('ana');
    for (const typing of [true, true, false]) await s.send('chat:typing', { typing });
    vi.setSystemTime(1_000_000 + TYPING_EVERY_MS);
    await s.send('chat:typing', { typing: true });
    expect(s.toOthers).toEqual([
      { channel: `room:${R}`, event: 'chat:typing', payload: { userId: 'ana', name: 'ANA', typing: true } },
      { channel: `room:${R}`, event: 'chat:typing', payload: { userId: 'ana', name: 'ANA', typing: false } },
      { channel: `room:${R}`, event: 'chat:typing', payload: { userId: 'ana', name: 'ANA', typing: true } },
    ]);
    const outside = t.connect('bob', null);
    await outside.send('chat:typing', { typing: true });
    expect(outside.toOthers).toEqual([]);
  });

  it('does not relay typing or reactions from a muted member (issue 9: a mute covers them)', async () => {
    const t = setup();
    const host = t.connect('host');
    const sent = await host.send<Reply<ChatMessage>>('chat:send', { body: 'hello' });
    if (!sent.ok) throw new Error(sent.error);
    t.rooms.members.get(t.rooms.key(R, 'ana'))!.mutedUntil = new Date(Date.now() + 60_000);
    const ana = t.connect('ana');
    expect(await ana.send('chat:typing', { typing: true })).toMatchObject({ ok: false });
    await ana.send('chat:typing', { typing: false });
    expect(ana.toOthers).toEqual([]);
    const react = await ana.send<Reply<ChatMessage>>('chat:react', { messageId: sent.data.id, emoji: '👍', on: true });
    expect(react).toMatchObject({ ok: false, error: expect.stringMatching(/muted you/) as string });
    expect(t.broadcast.payloads('chat:updated')).toEqual([]);
  });

  it("reacts, and deletes with the caller's role from the room-access policy", async () => {
    const t = setup();
    const [ana, bob, host] = [t.connect('ana'), t.connect('bob'), t.connect('host')];
    const sent = await ana.send<Reply<ChatMessage>>('chat:send', { body: 'mine' });
    if (!sent.ok) throw new Error(sent.error);
    expect(await bob.send('chat:react', { messageId: sent.data.id, emoji: '🎉', on: true })).toMatchObject({
      ok: true,
      data: { reactions: { '🎉': ['bob'] } },
    });
    expect(await bob.send('chat:delete', { messageId: sent.data.id })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Only the author/) as string,
    });
    expect(await host.send('chat:delete', { messageId: sent.data.id })).toMatchObject({ ok: true, data: { deleted: true } });
    t.rooms.members.get(t.rooms.key(R, 'bob'))!.bannedAt = new Date();
    expect(await bob.send('chat:delete', { messageId: sent.data.id })).toEqual({ ok: false, error: 'Join this room first.' });
  });
});
