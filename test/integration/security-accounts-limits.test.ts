import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_COOKIE, ROOM_JOIN_REFUSED, type AuthResponse, type RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { ask, connectSocket } from '../support/socket.js';

// Issue 9: the limits around accounts and rooms, attacked with real parallel requests. TRUST_PROXY is
// loopback here so that each test can speak from its own client address (X-Forwarded-For from the test
// process, which is the trusted proxy); security-accounts.test.ts shows the header ignored without it.

let stack: Stack;
let owner: ApiClient;
const PASSWORD = 'correct horse battery';
const email = () => `u${Math.random().toString(36).slice(2)}@example.test`;
let nextAddress = 1;
/** A client address of its own for each attacker or person (198.18.0.0/15, the benchmarking range). */
const newAddress = () => `198.18.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

/** A client that speaks from `address` (the trusted proxy says so). */
class From extends ApiClient {
  constructor(readonly address: string) {
    super(stack.baseUrl);
  }
  override request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request(method, path, body, { 'x-forwarded-for': this.address, ...headers });
  }
}

beforeAll(async () => {
  stack = await startStack({
    web: false,
    transcoders: 0,
    env: {
      TRUST_PROXY: 'loopback',
      LOGIN_FAILS_PER_ACCOUNT: '5',
      LOGIN_FAILS_PER_ADDRESS: '40',
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: '5',
      GUESTS_PER_ADDRESS_PER_HOUR: '5',
      PIN_FAILS_PER_IP: '5',
      PIN_FAILS_PER_ROOM: '20',
    },
  });
  owner = new From(newAddress());
  await owner.register(undefined, 'Host');
});

afterAll(async () => {
  await stack?.stop();
});

describe('password sign-in throttle', () => {
  it('checks at most LOGIN_FAILS_PER_ACCOUNT of 100 parallel guesses and answers the rest 429 with Retry-After', async () => {
    const victim = email();
    const registered = await new From(newAddress()).request('POST', '/api/auth/register', {
      email: victim,
      password: PASSWORD,
      displayName: 'Victim',
    });
    expect(registered.status).toBe(201);
    const victimDevice = registered.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!
      .split(';')[0]
      .split('=')[1];
    const attacker = new From(newAddress());
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attacker.request('POST', '/api/auth/login', { email: victim, password: `guess number ${i}` })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(95);
    const limited = answers.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).message).toMatch(/^Too many attempts, try again in \d+ minutes?\.$/);
    // The account is locked for password sign-in from any other browser (even with the right password)...
    const owner2 = new From(newAddress());
    expect((await owner2.request('POST', '/api/auth/login', { email: victim, password: PASSWORD })).status).toBe(429);
    // ...but not from the browser that signed in to it before (its device cookie): the owner is not locked out.
    const home = { cookie: `${DEVICE_COOKIE}=${victimDevice}` };
    expect((await owner2.request('POST', '/api/auth/login', { email: victim, password: PASSWORD }, home)).status).toBe(200);
  });

  it('lets a person who types the right password start afresh', async () => {
    const mail = email();
    const me = new From(newAddress());
    await me.json('POST', '/api/auth/register', { email: mail, password: PASSWORD, displayName: 'Me' }, 201);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        expect((await me.request('POST', '/api/auth/login', { email: mail, password: 'not it at all' })).status).toBe(401);
      expect((await me.request('POST', '/api/auth/login', { email: mail, password: PASSWORD })).status).toBe(200);
    }
  });
});

describe('sign-up limits per address', () => {
  it('creates at most REGISTRATIONS_PER_ADDRESS_PER_HOUR of 30 parallel registrations', async () => {
    const bot = new From(newAddress());
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        bot.request('POST', '/api/auth/register', { email: email(), password: PASSWORD, displayName: 'Bot' }),
      ),
    );
    expect(answers.filter((r) => r.status === 201).length).toBe(5);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBe(25);
    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(refused[0])).message).toMatch(/Too many attempts, try again in 60 minutes\./);
    // Someone else is not affected.
    expect(
      (await new From(newAddress()).request('POST', '/api/auth/register', { email: email(), password: PASSWORD, displayName: 'Ok' }))
        .status,
    ).toBe(201);
  });

  it('creates at most GUESTS_PER_ADDRESS_PER_HOUR guests from one address', async () => {
    const room = await owner.createRoom('Guests');
    const bot = new From(newAddress());
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => bot.request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Bot' })),
    );
    expect(answers.filter((r) => r.status === 201).length).toBe(5);
    expect(answers.filter((r) => r.status === 429).length).toBe(15);
  });
});

describe('room PINs', () => {
  it('checks at most PIN_FAILS_PER_IP of 30 concurrent guesses from one address, the right one among them', async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Vault', pin: '424242' }, 201);
    const attacker = new From(newAddress());
    const pins = Array.from({ length: 30 }, (_, i) => (i === 29 ? '424242' : String(100000 + i)));
    const answers = await Promise.all(
      pins.map((pin) => attacker.request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Mallory', pin })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    expect(statuses[29]).toBe(429); // the right PIN was never checked
    const limited = answers.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).message).toContain(ROOM_JOIN_REFUSED);
  });

  it('cannot be locked by an attacker rotating addresses: the right PIN from a fresh address gets in during the attack', async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Party', pin: '777777' }, 201);
    // 40 addresses, 3 wrong PINs each, in parallel: far beyond the room-wide limit of 20.
    const attackers = Array.from({ length: 40 }, () => new From(newAddress()));
    const hammering = Promise.all(
      attackers.flatMap((a) =>
        [0, 1, 2].map((k) => a.request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'M', pin: `1${k}0000` })),
      ),
    );
    const guest = new From(newAddress());
    const joined = await guest.request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Real guest', pin: '777777' });
    const statuses = (await hammering).map((r) => r.status);
    expect(joined.status).toBe(201);
    expect(((await joined.json()) as AuthResponse & { room: RoomView }).room.myRole).toBe('viewer');
    // The room-wide budget held: repeat failures beyond it were refused without a check.
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(40 + 20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(60);
    // And after the attack, another fresh address still gets in.
    expect(
      (await new From(newAddress()).request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Late', pin: '777777' })).status,
    ).toBe(201);
  });

  it("does not count a banned person's failed joins toward the room", async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Banned', pin: '135790' }, 201);
    const trollAddress = newAddress();
    const troll = new From(trollAddress);
    const trollAuth = await troll.json<AuthResponse>('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Troll', pin: '135790' }, 201);
    troll.token = trollAuth.accessToken;
    const hostSocket = await connectSocket(stack.baseUrl, owner.token!);
    await ask(hostSocket, 'room:join', { roomId: room.id });
    expect((await ask(hostSocket, 'mod:kick', { userId: trollAuth.user.id, ban: true })).ok).toBe(true);
    hostSocket.disconnect();
    // The banned account, from many addresses, with the right PIN: refused, and none of it counts toward the room.
    for (let i = 0; i < 25; i++) {
      const res = await new From(newAddress()).request(
        'POST',
        `/api/rooms/${room.id}/join`,
        { pin: '135790' },
        { authorization: `Bearer ${troll.token}` },
      );
      expect(res.status).toBe(404);
    }
    expect(
      (await new From(newAddress()).request('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Friend', pin: '135790' })).status,
    ).toBe(201);
  });
});

describe('bans and kicks hold at the door', () => {
  /** Joins as a guest from `who`; with `device`, as the browser holding that device cookie. Returns the answer and the device cookie set. */
  async function guestJoin(roomId: string, who: From, device?: string) {
    const headers: Record<string, string> = device ? { cookie: `${DEVICE_COOKIE}=${device}` } : {};
    const res = await who.request('POST', `/api/rooms/${roomId}/guest`, { displayName: 'Someone' }, headers);
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
    return { res, device: set?.split(';')[0].split('=')[1] ?? device };
  }

  async function moderate(roomId: string, userId: string, ban: boolean) {
    const host = await connectSocket(stack.baseUrl, owner.token!);
    await ask(host, 'room:join', { roomId });
    expect((await ask(host, 'mod:kick', { userId, ban })).ok).toBe(true);
    host.disconnect();
  }

  it('refuses a banned guest coming back as a fresh guest from the same browser or the same address', async () => {
    const room = await owner.createRoom('No trolls');
    const trollAt = new From(newAddress());
    const first = await guestJoin(room.id, trollAt);
    expect(first.res.status).toBe(201);
    expect(first.device).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await moderate(room.id, ((await first.res.json()) as AuthResponse).user.id, true);

    const sameBrowser = await guestJoin(room.id, new From(newAddress()), first.device);
    expect(sameBrowser.res.status).toBe(404);
    expect((await errorOf(sameBrowser.res)).message).toBe(ROOM_JOIN_REFUSED);
    expect((await guestJoin(room.id, trollAt)).res.status).toBe(404); // a new browser, same address
    expect((await guestJoin(room.id, new From(newAddress()))).res.status).toBe(201); // anyone else
  });

  it('keeps a kicked guest out for KICK_DURATION_MIN, from the same browser or address', async () => {
    const room = await owner.createRoom('Time out');
    const at = new From(newAddress());
    const first = await guestJoin(room.id, at);
    await moderate(room.id, ((await first.res.json()) as AuthResponse).user.id, false);
    expect((await guestJoin(room.id, new From(newAddress()), first.device)).res.status).toBe(404);
    expect((await guestJoin(room.id, at)).res.status).toBe(404);
    expect((await guestJoin(room.id, new From(newAddress()))).res.status).toBe(201);
  });
});
