import { describe, expect, it } from 'vitest';
import { ChatService } from './chat.service.js';
import type { ChatRow } from './chat.repository.js';

function setup() {
  const rows = new Map<string, ChatRow>();
  let n = 0;
  const repo = {
    // Like the real repository: insert returns the row's own columns; find reads the relations.
    async insert(d: { roomId: string; authorId: string | null; kind: 'user' | 'system'; body: string; replyToId?: string }) {
      const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      const reply = d.replyToId ? rows.get(d.replyToId)! : null;
      const row: ChatRow = {
        id, roomId: d.roomId, kind: d.kind, body: d.body, createdAt: new Date(n), deletedAt: null,
        author: d.authorId ? { id: d.authorId, displayName: d.authorId.toUpperCase() } : null,
        replyTo: reply ? { id: reply.id, body: reply.body, deletedAt: reply.deletedAt, author: reply.author ? { displayName: reply.author.displayName } : null } : null,
        reactions: [],
      };
      rows.set(id, row);
      return { id, roomId: row.roomId, kind: row.kind, body: row.body, createdAt: row.createdAt, deletedAt: row.deletedAt };
    },
    async find(id: string) { return rows.get(id) ?? null; },
    async lastN(roomId: string, limit: number) { return [...rows.values()].filter((r) => r.roomId === roomId).slice(-limit); },
    async setReaction(messageId: string, userId: string, emoji: string, on: boolean) {
      const r = rows.get(messageId)!;
      r.reactions = r.reactions.filter((x) => !(x.userId === userId && x.emoji === emoji));
      if (on) r.reactions.push({ userId, emoji });
    },
    async softDelete(id: string) { const r = rows.get(id)!; r.body = ''; r.deletedAt = new Date(); },
  };
  const muted = new Map<string, Date>();
  const rooms = { async membership(_r: string, u: string) { return u === 'stranger' ? null : { role: 'viewer', bannedAt: null, mutedUntil: muted.get(u) ?? null }; } };
  const sent: string[] = [];
  const events = { message: (_r: string, m: { body: string }) => sent.push(m.body), updated: () => undefined };
  return { service: new ChatService(repo as never, rooms as never, events as never), muted, sent };
}

describe(ChatService.name, () => {
  it('trims, stores and broadcasts text as is (no HTML handling server-side: clients render text)', async () => {
    const { service, sent } = setup();
    const m = await service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: '  <b>hi</b>  ' });
    expect(m).toMatchObject({ body: '<b>hi</b>', kind: 'user', author: { id: 'ana', name: 'ANA' }, deleted: false });
    expect(sent).toEqual(['<b>hi</b>']);
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
    await expect(service.send({ userId: 'ana', name: 'ANA' }, 'r1', { body: 're', replyToId: other.id })).rejects.toThrow('not in this room');
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
    expect(h.map((m) => [m.kind, m.body])).toEqual([['user', 'one'], ['system', 'Ana paused at 12:03']]);
    expect(h[1]!.author).toBeNull();
  });
});
