import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  CHAT_EDIT_WINDOW_MS,
  CHAT_MAX_LENGTH,
  type AuthResponse,
  type ChatMessage,
  type Member,
  type RoomSnapshot,
} from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { ask, connectSocket, nextEvent as next, okData, type Reply, type WireSocket } from '../support/socket.js';

// Issue 12: editing one's own chat messages (chat:edit), through the real gateway, PostgreSQL and Redis.

let stack: Stack;
let owner: ApiClient;
const sockets: WireSocket[] = [];
const connect = async (token: string): Promise<WireSocket> => {
  const s = await connectSocket(stack.baseUrl, token);
  sockets.push(s);
  return s;
};
const joinRoom = async (s: WireSocket, roomId: string) => okData(await ask<RoomSnapshot>(s, 'room:join', { roomId }));
const guest = async (roomId: string, displayName: string) => {
  const c = new ApiClient(stack.baseUrl);
  const auth = await c.json<AuthResponse>('POST', `/api/rooms/${roomId}/guest`, { displayName }, 201);
  const s = await connect(auth.accessToken);
  await joinRoom(s, roomId);
  return { socket: s, userId: auth.user.id };
};
const send = async (s: WireSocket, body: string) => okData(await ask<ChatMessage>(s, 'chat:send', { body }));
const edit = (s: WireSocket, messageId: string, body: unknown) => ask<ChatMessage>(s, 'chat:edit', { messageId, body });
const errorOf = (r: Reply<unknown>) => (r.ok ? null : r.error);

/** A room with its host and two guests, all joined. */
async function party() {
  const room = await owner.createRoom('Edits');
  const host = await connect(owner.token!);
  await joinRoom(host, room.id);
  const ana = await guest(room.id, 'Ana');
  const bo = await guest(room.id, 'Bo');
  return { room, host, ana, bo };
}

beforeAll(async () => {
  stack = await startStack({ web: false, transcoders: 0 });
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('chat:edit', () => {
  it('lets the author edit their message: everyone gets it with "edited", and a rejoin sees the new text', async () => {
    const { room, ana, bo } = await party();
    const sent = await send(ana.socket, 'see you at 8');
    expect(sent.editedAt).toBeNull();
    const seen = next(bo.socket, 'chat:updated', (m) => m.id === sent.id);
    const edited = okData(await edit(ana.socket, sent.id, '  see you at 9  '));
    expect(edited).toMatchObject({ id: sent.id, body: 'see you at 9', deleted: false });
    expect(Date.parse(edited.editedAt!)).toBeGreaterThanOrEqual(Date.parse(sent.createdAt));
    expect(await seen).toMatchObject({ id: sent.id, body: 'see you at 9', editedAt: edited.editedAt });
    const again = await connect(owner.token!);
    const snap = await joinRoom(again, room.id);
    expect(snap.chat.find((m) => m.id === sent.id)).toMatchObject({ body: 'see you at 9', editedAt: edited.editedAt });
  });

  it("refuses to edit someone else's message, even for the host or a moderator", async () => {
    const { host, ana, bo } = await party();
    expect((await ask<Member[]>(host, 'mod:role', { userId: bo.userId, role: 'moderator' })).ok).toBe(true);
    const sent = await send(ana.socket, 'mine');
    for (const s of [bo.socket, host]) expect(errorOf(await edit(s, sent.id, 'yours now'))).toBe('You can only edit your own messages.');
  });

  it('validates the payload: a message id, a non-empty body within the limit, no control characters', async () => {
    const { ana } = await party();
    const sent = await send(ana.socket, 'hello');
    expect(errorOf(await edit(ana.socket, 'not-a-uuid', 'x'))).toBeTruthy();
    expect(errorOf(await edit(ana.socket, sent.id, '   '))).toMatch(/Type a message first/);
    expect(errorOf(await edit(ana.socket, sent.id, 'x'.repeat(CHAT_MAX_LENGTH + 1)))).toBeTruthy();
    expect(errorOf(await edit(ana.socket, sent.id, 'bad\u0000byte'))).toMatch(/control characters/);
    expect(errorOf(await edit(ana.socket, sent.id, 42))).toBeTruthy();
    expect(errorOf(await edit(ana.socket, '00000000-0000-4000-8000-000000000000', 'x'))).toBe('This message is not in this room.');
  });

  it('refuses a deleted message, a muted author, and a message older than the edit window', async () => {
    const { host, ana, bo } = await party();
    const gone = await send(ana.socket, 'oops');
    expect((await ask(ana.socket, 'chat:delete', { messageId: gone.id })).ok).toBe(true); // authors delete their own
    expect(errorOf(await edit(ana.socket, gone.id, 'back'))).toMatch(/deleted/);

    const old = await send(bo.socket, 'old news');
    const c = new pg.Client({ connectionString: stack.databaseUrl });
    await c.connect();
    try {
      await c.query(`UPDATE "ChatMessage" SET "createdAt" = "createdAt" - make_interval(secs => $2) WHERE id = $1`, [
        old.id,
        CHAT_EDIT_WINDOW_MS / 1000 + 1,
      ]);
    } finally {
      await c.end();
    }
    expect(errorOf(await edit(bo.socket, old.id, 'fresh news'))).toMatch(/can be edited for 15 minutes/);

    const recent = await send(bo.socket, 'before the mute');
    expect((await ask(host, 'mod:mute', { userId: bo.userId, minutes: 5 })).ok).toBe(true);
    expect(errorOf(await edit(bo.socket, recent.id, 'after the mute'))).toMatch(/muted you/);
  });

  it('spends the chat rate limit: a burst of edits is told to slow down', async () => {
    const { ana } = await party();
    const sent = await send(ana.socket, 'v0');
    const replies: Array<Reply<ChatMessage>> = [];
    for (let i = 1; i <= 7; i++) replies.push(await edit(ana.socket, sent.id, `v${i}`));
    expect(replies.some((r) => !r.ok && r.error === 'You are sending messages too fast. Slow down.')).toBe(true);
  });
});
