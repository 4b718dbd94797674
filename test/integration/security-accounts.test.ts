import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_PASSWORD, type RoomSnapshot } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { ask, connectSocket, okData, type WireSocket } from '../support/socket.js';

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
