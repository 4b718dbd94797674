import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_PASSWORD, ROOM_JOIN_REFUSED, type RoomSnapshot, type RoomView, type SessionView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { ask, connectSocket, disconnected, okData, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';

// Issue 9, "Accounts and sessions" and "Rooms": each test performs the attack seen against a running
// instance and asserts the refusal, through the real API and sockets.

let stack: Stack;
let owner: ApiClient;
const sockets: WireSocket[] = [];
const connect = async (token: string, baseUrl = stack.baseUrl) => {
  const s = await connectSocket(baseUrl, token);
  sockets.push(s);
  return s;
};

const email = () => `u${Math.random().toString(36).slice(2)}@example.test`;

beforeAll(async () => {
  stack = await startStack({ web: false, transcoders: 0 });
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('control characters and names', () => {
  it('answers a NUL byte in any text field with a 400 that says why, never a 500', async () => {
    const anon = new ApiClient(stack.baseUrl);
    const room = await owner.createRoom('Text');
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/auth/register', { email: email(), password: 'correct horse battery', displayName: 'Nul\u0000' }],
      ['POST', '/api/auth/login', { email: 'a\u0000@example.test', password: 'whatever it is' }],
      ['POST', '/api/rooms', { name: 'Room\u0000' }],
      ['PATCH', `/api/rooms/${room.id}`, { name: '\u0000' }],
      ['POST', `/api/rooms/${room.id}/guest`, { displayName: 'G\u0000' }],
      ['POST', `/api/rooms/${room.id}/guest`, { displayName: 'Gus', pin: '12\u000034' }],
      ['POST', `/api/rooms/${room.id}/join`, { pin: '\u0000' }],
    ];
    for (const [method, path, body] of attempts) {
      const client = path.startsWith('/api/auth') || path.endsWith('/guest') ? anon : owner;
      const res = await client.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect((await errorOf(res)).message).toMatch(/must not contain control characters/);
    }
    const s = await connect(owner.token!);
    okData(await ask<RoomSnapshot>(s, 'room:join', { roomId: room.id }));
    const chat = await ask(s, 'chat:send', { body: 'hi\u0000there' });
    expect(chat).toMatchObject({ ok: false });
    expect(chat.ok === false && chat.error).toMatch(/must not contain control characters/);
    expect((await ask(s, 'chat:send', { body: 'two\nlines' })).ok).toBe(true);
  });

  it('refuses a display name that fakes another person with invisible or bidi characters, and stores names NFC', async () => {
    const room = await owner.createRoom('Names');
    for (const displayName of ['Alice\u202e)tsoh(', 'Alice\u200b (host)', '\u2067Alice\u2069']) {
      const res = await new ApiClient(stack.baseUrl).request('POST', `/api/rooms/${room.id}/guest`, { displayName });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(/invisible or text-direction/);
    }
    const renamed = await owner.request('PATCH', `/api/rooms/${room.id}`, { name: 'Movie\u200dnight' });
    expect(renamed.status).toBe(400);
    const reg = await new ApiClient(stack.baseUrl).json<{ user: { displayName: string } }>(
      'POST',
      '/api/auth/register',
      { email: email(), password: 'correct horse battery', displayName: 'Re\u0301my' },
      201,
    );
    expect(reg.user.displayName).toBe('R\u00e9my');
  });
});

describe('password policy', () => {
  it('refuses common and trivial passwords at registration with a sentence that helps', async () => {
    const cases: Array<[string, RegExp | string]> = [
      ['password', COMMON_PASSWORD],
      ['P@ssw0rd2024', COMMON_PASSWORD],
      ['aaaaaaaa', /one character repeated/],
      ['12345678', /sequence/],
      ['abcabcabc', /repeats a short pattern/],
    ];
    for (const [password, message] of cases) {
      const res = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/register', { email: email(), password, displayName: 'W' });
      expect(res.status, password).toBe(400);
      const got = (await errorOf(res)).message;
      if (typeof message === 'string') expect(got).toBe(message);
      else expect(got).toMatch(message);
    }
    const mail = email();
    const same = await new ApiClient(stack.baseUrl).request('POST', '/api/auth/register', {
      email: mail,
      password: mail,
      displayName: 'W',
    });
    expect(same.status).toBe(400);
    expect((await errorOf(same)).message).toMatch(/email/);
    expect(
      (
        await new ApiClient(stack.baseUrl).request('POST', '/api/auth/register', {
          email: email(),
          password: 'tangerine piano 42',
          displayName: 'W',
        })
      ).status,
    ).toBe(201);
  });
});

describe('forwarded addresses', () => {
  it('ignores X-Forwarded-For without TRUST_PROXY: rotating it does not escape the PIN limit', async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Rotate', pin: '9090' }, 201);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await new ApiClient(stack.baseUrl).request(
        'POST',
        `/api/rooms/${room.id}/guest`,
        { displayName: 'M', pin: `11${i}1` },
        {
          'x-forwarded-for': `203.0.113.${i + 1}`,
        },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429]);
  });
});

describe('non-members learn nothing from a room id', () => {
  it('answers a non-member like an unknown id on the socket join and on PATCH and close', async () => {
    const pinRoom = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Secret', pin: '5151' }, 201);
    const unknown = 'Q'.repeat(22);
    const stranger = new ApiClient(stack.baseUrl);
    await stranger.register(undefined, 'Stranger');
    const s = await connect(stranger.token!);
    const [onRoom, onUnknown] = [await ask(s, 'room:join', { roomId: pinRoom.id }), await ask(s, 'room:join', { roomId: unknown })];
    expect(onRoom).toEqual(onUnknown);
    expect(onRoom).toMatchObject({ ok: false, error: ROOM_JOIN_REFUSED });
    for (const [method, suffix, body] of [
      ['PATCH', '', { name: 'Mine now' }],
      ['POST', '/close', undefined],
    ] as const) {
      const a = await stranger.request(method, `/api/rooms/${pinRoom.id}${suffix}`, body);
      const b = await stranger.request(method, `/api/rooms/${unknown}${suffix}`, body);
      expect([a.status, b.status], `${method} ${suffix}`).toEqual([404, 404]);
      expect(await errorOf(a)).toEqual(await errorOf(b));
    }
  });
});

describe('revoking a session reaches its sockets', () => {
  /** A fresh account signed in twice (two sessions, as two browsers would be), both in `roomId`. */
  async function twoSessions(roomId: string) {
    const mail = email();
    const first = new ApiClient(stack.baseUrl);
    await first.json('POST', '/api/auth/register', { email: mail, password: 'correct horse battery', displayName: 'Two' }, 201);
    const login = await first.json<{ accessToken: string }>(
      'POST',
      '/api/auth/login',
      { email: mail, password: 'correct horse battery' },
      200,
    );
    first.token = login.accessToken;
    const second = new ApiClient(stack.baseUrl);
    second.token = (
      await second.json<{ accessToken: string }>('POST', '/api/auth/login', { email: mail, password: 'correct horse battery' }, 200)
    ).accessToken;
    await first.json('POST', `/api/rooms/${roomId}/join`, {}, 200);
    return { first, second };
  }

  it("sign-out disconnects that session's sockets on every API process at once, and the token cannot reconnect", async () => {
    const room = await owner.createRoom('Revoke');
    const { first, second } = await twoSessions(room.id);
    const other = await stack.startSecondApi();
    const onA = await connect(first.token!);
    const onB = await connect(first.token!, other.baseUrl);
    const keep = await connect(second.token!, other.baseUrl);
    for (const s of [onA, onB, keep]) okData(await ask<RoomSnapshot>(s, 'room:join', { roomId: room.id }));
    expect((await ask(onB, 'chat:send', { body: 'before' })).ok).toBe(true);

    const goneA = disconnected(onA);
    const goneB = disconnected(onB);
    expect((await first.request('POST', '/api/auth/logout')).status).toBe(204);
    await Promise.all([goneA, goneB]);
    // The socket is gone: nothing it sends is heard; the token is refused at the handshake.
    await eventually(() => onB.connected).toBe(false);
    await expect(connectSocket(other.baseUrl, first.token!)).rejects.toThrow('Sign in to continue.');
    // The same person's other session is untouched.
    expect((await ask(keep, 'chat:send', { body: 'still here' })).ok).toBe(true);
  });

  it("lists one's sessions, revokes one, and signs out everywhere (every session, every socket)", async () => {
    const room = await owner.createRoom('Everywhere');
    const { first, second } = await twoSessions(room.id);
    const sessions = await first.json<SessionView[]>('GET', '/api/auth/sessions');
    expect(sessions).toHaveLength(3); // registration, then two sign-ins
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0].address).toBe('127.0.0.1');

    // Revoke the registration's session (not current) by id; someone else's id answers 404.
    const stale = sessions.find((s) => !s.current && s.createdAt === sessions.at(-1)!.createdAt)!;
    expect((await owner.request('DELETE', `/api/auth/sessions/${stale.id}`)).status).toBe(404);
    expect((await first.request('DELETE', `/api/auth/sessions/${stale.id}`)).status).toBe(204);
    expect(await first.json<SessionView[]>('GET', '/api/auth/sessions')).toHaveLength(2);

    const a = await connect(first.token!);
    const b = await connect(second.token!);
    for (const s of [a, b]) okData(await ask<RoomSnapshot>(s, 'room:join', { roomId: room.id }));
    const gone = [disconnected(a), disconnected(b)];
    expect((await second.request('POST', '/api/auth/logout-all')).status).toBe(204);
    await Promise.all(gone);
    expect((await first.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await second.request('GET', '/api/auth/me')).status).toBe(401);
  });
});
