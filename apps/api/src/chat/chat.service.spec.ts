import { describe, expect, it } from 'vitest';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MemoryChatRepository } from '../testing/memory-chat.repository.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { CHAT_EDIT_WINDOW_MS } from '@reelroom/contracts';
import { ChatService } from './chat.service.js';

/** Rooms r1 and r2, where ana, bob and mod are members; `stranger` is in neither. */
function setup() {
  const rooms = new MemoryRoomsRepository();
  for (const id of ['r1', 'r2']) {
    rooms.seed({ id }, 'ana');
    for (const u of ['bob', 'mod']) rooms.seedMember(id, u);
  }
  const muted = {
    set: (userId: string, until: Date) => {
      for (const id of ['r1', 'r2']) rooms.members.get(rooms.key(id, userId))!.mutedUntil = until;
    },
  };
  const broadcast = new RecordingBroadcaster();
  const service = new ChatService(new MemoryChatRepository(), new RoomAccessPolicy(rooms), broadcast);
  return {
    service,
    muted,
    get sent() {
      return broadcast.payloads('chat:message').map((m) => m.body);
    },
    get updated() {
      return broadcast.payloads('chat:updated');
    },
  };
}

describe(ChatService.name, () => {
  it('trims, stores and broadcasts text as is (no HTML handling server-side: clients render text)', async () => {
    const t = setup();
    const m = await t.service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: '  <b>hi</b>  ' });
    expect(m).toMatchObject({ body: '<b>hi</b>', kind: 'user', author: { id: 'ana', name: 'ANA' }, deleted: false });
    expect(t.sent).toEqual(['<b>hi</b>']);
  });

  it('refuses messages over 500 characters and empty ones', async () => {
    const { service } = setup();
    await expect(service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'x'.repeat(501) })).rejects.toThrow('at most 500');
    await expect(service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: '   ' })).rejects.toThrow('Type a message');
    expect((await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'x'.repeat(500) })).body).toHaveLength(500);
  });

  it('refuses muted members with a sentence, and strangers', async () => {
    const { service, muted } = setup();
    muted.set('bob', new Date(Date.now() + 60_000));
    await expect(service.send({ userId: 'bob', name: 'BOB' }, 'r1', { body: 'hi' })).rejects.toThrow(/muted you until/);
    await expect(service.send({ userId: 'stranger', name: 'STRANGER' }, 'r1', { body: 'hi' })).rejects.toThrow('Join this room first.');
    muted.set('bob', new Date(Date.now() - 1));
    expect((await service.send({ userId: 'bob', name: 'BOB' }, 'r1', { body: 'hi' })).body).toBe('hi');
  });

  it('accepts replies only to a message of the same room', async () => {
    const { service } = setup();
    const other = await service.send({ userId: 'ana', name: 'ANA' }, 'r2', { body: 'elsewhere' });
    await expect(service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 're', replyToId: other.id })).rejects.toThrow(
      'not in this room',
    );
    const first = await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'first' });
    const reply = await service.send({ userId: 'bob', name: 'BOB' }, 'r1', { body: 're', replyToId: first.id });
    expect(reply.replyTo).toEqual({ id: first.id, authorName: 'ANA', excerpt: 'first' });
  });

  it('lets the author, host and moderators delete; viewers cannot delete others', async () => {
    const { service } = setup();
    const m = await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'oops' });
    await expect(service.delete({ userId: 'bob', role: 'viewer' }, 'r1', m.id)).rejects.toThrow('Only the author');
    expect(await service.delete({ userId: 'mod', role: 'moderator' }, 'r1', m.id)).toMatchObject({ body: '', deleted: true });
    const own = await service.send({ userId: 'bob', name: 'BOB' }, 'r1', { body: 'mine' });
    expect((await service.delete({ userId: 'bob', role: 'viewer' }, 'r1', own.id)).deleted).toBe(true);
  });

  it('toggles reactions from the palette only', async () => {
    const { service } = setup();
    const m = await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'hi' });
    expect((await service.react({ userId: 'bob' }, 'r1', m.id, '👍', true)).reactions).toEqual({ '👍': ['bob'] });
    expect((await service.react({ userId: 'bob' }, 'r1', m.id, '👍', false)).reactions).toEqual({});
    await expect(service.react({ userId: 'bob' }, 'r1', m.id, '<script>', true)).rejects.toThrow('offered reactions');
  });

  it('posts system lines with no author and returns history oldest first', async () => {
    const { service } = setup();
    await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'one' });
    await service.postSystem('r1', 'Ana paused at 12:03');
    const h = await service.history('r1');
    expect(h.map((m) => [m.kind, m.body])).toEqual([
      ['user', 'one'],
      ['system', 'Ana paused at 12:03'],
    ]);
    expect(h[1].author).toBeNull();
  });

  it('folds a burst of system lines with the same key into one line while it is the latest message', async () => {
    const { service } = setup();
    const t0 = 1_000_000;
    await service.postSystem('r1', 'Ana played', 'playback:ana', t0);
    for (let i = 1; i <= 38; i++) await service.postSystem('r1', `Ana ${i % 2 ? 'paused' : 'played'} (${i})`, 'playback:ana', t0 + i * 80);
    let h = await service.history('r1');
    expect(h.map((m) => m.body)).toEqual(['Ana played (38)']);
    // Someone else's line, or a real message in between, starts a new line.
    await service.postSystem('r1', 'Bob paused', 'playback:bob', t0 + 4_000);
    await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'stop it' });
    await service.postSystem('r1', 'Bob played', 'playback:bob', t0 + 4_100);
    // Past SYSTEM_FOLD_MS, a new line too.
    await service.postSystem('r1', 'Bob paused', 'playback:bob', t0 + 60_000);
    h = await service.history('r1');
    expect(h.map((m) => m.body)).toEqual(['Ana played (38)', 'Bob paused', 'stop it', 'Bob played', 'Bob paused']);
  });

  describe('edit', () => {
    // The memory repository's messages are created at 1970-01-01T00:00:00.00Nz: `now` is given explicitly.
    const soon = 60_000;

    it('lets the author rewrite their message: trimmed, editedAt set, broadcast as chat:updated', async () => {
      const t = setup();
      const m = await t.service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'at 8' }, soon);
      const e = await t.service.edit({ userId: 'ana' }, 'r1', m.id, '  at 9  ', soon);
      expect(e).toMatchObject({ id: m.id, body: 'at 9', editedAt: new Date(soon).toISOString() });
      expect(t.updated.at(-1)).toEqual(e);
    });

    it("refuses someone else's message (moderators included), a system line, a deleted one and an old one", async () => {
      const t = setup();
      const m = await t.service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 'mine' }, soon);
      await expect(t.service.edit({ userId: 'mod' }, 'r1', m.id, 'x', soon)).rejects.toThrow('You can only edit your own messages.');
      const sys = await t.service.postSystem('r1', 'Ana joined');
      await expect(t.service.edit({ userId: 'ana' }, 'r1', sys.id, 'x', soon)).rejects.toThrow('your own messages');
      await expect(t.service.edit({ userId: 'ana' }, 'r2', m.id, 'x', soon)).rejects.toThrow('not in this room');
      await expect(t.service.edit({ userId: 'ana' }, 'r1', m.id, 'late', CHAT_EDIT_WINDOW_MS + 1000)).rejects.toThrow(
        /can be edited for 15 minutes/,
      );
      await t.service.delete({ userId: 'ana', role: 'viewer' }, 'r1', m.id);
      await expect(t.service.edit({ userId: 'ana' }, 'r1', m.id, 'back', soon)).rejects.toThrow(/deleted/);
    });

    it('refuses an empty or too long text, and a muted author', async () => {
      const t = setup();
      const m = await t.service.send({ userId: 'bob', name: 'BOB' }, 'r1', { body: 'hi' }, soon);
      await expect(t.service.edit({ userId: 'bob' }, 'r1', m.id, '  ', soon)).rejects.toThrow('Type a message first');
      await expect(t.service.edit({ userId: 'bob' }, 'r1', m.id, 'x'.repeat(501), soon)).rejects.toThrow('at most 500');
      t.muted.set('bob', new Date(soon + 60_000));
      await expect(t.service.edit({ userId: 'bob' }, 'r1', m.id, 'hello', soon)).rejects.toThrow(/muted you until/);
    });
  });
});
