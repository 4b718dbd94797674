import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import {
  PASSWORD_RESET_REQUESTED,
  RESET_BY_ADMIN,
  RESET_TOKEN_INVALID,
  type AdminResetLinkView,
  type AuthOptions,
  type AuthResponse,
  type MeView,
  type RoomSnapshot,
} from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, bodyOf, errorOf } from '../support/api-client.js';
import { MailCatcher } from '../support/mail-catcher.js';
import { ask, connectSocket, disconnected, okData, type WireSocket } from '../support/socket.js';

// Issue 12, account basics: display name, password change, and the forgotten password, by email through
// a real SMTP server started here (smtp-server + mailparser) and by an administrator's link. TRUST_PROXY
// is loopback so each test speaks from its own client address (X-Forwarded-For) and the per-address
// limits of one test do not spill into the next.

let stack: Stack;
let mail: MailCatcher;
let admin: ApiClient;
const ADMIN_EMAIL = `admin-${Date.now().toString(36)}@example.test`;
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'violet lantern harbour';
const sockets: WireSocket[] = [];
let nextAddress = 1;
const newAddress = () => `198.18.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;
const email = () => `u${Math.random().toString(36).slice(2)}@example.test`;

/** A client that speaks from its own address (the trusted proxy says so). */
class From extends ApiClient {
  constructor(readonly address = newAddress()) {
    super(stack.baseUrl);
  }
  override request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request(method, path, body, { 'x-forwarded-for': this.address, ...headers });
  }
}

const person = async (who = email()) => {
  const c = new From();
  await c.json<AuthResponse>('POST', '/api/auth/register', { email: who, password: PASSWORD, displayName: 'Pat' }, 201);
  const res = await c.json<AuthResponse>('POST', '/api/auth/login', { email: who, password: PASSWORD }, 200);
  c.token = res.accessToken;
  return { client: c, email: who };
};
const signIn = (who: string, password: string) => new From().request('POST', '/api/auth/login', { email: who, password });
const connect = async (token: string) => {
  const s = await connectSocket(stack.baseUrl, token);
  sockets.push(s);
  return s;
};
/** The token in a reset link (it travels in the fragment, never to a server). */
const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, '');
const sql = async (text: string, values: unknown[]) => {
  const c = new pg.Client({ connectionString: stack.databaseUrl });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  mail = await MailCatcher.start();
  stack = await startStack({
    web: false,
    transcoders: 0,
    env: {
      TRUST_PROXY: 'loopback',
      PASSWORD_RESETS_PER_EMAIL_PER_HOUR: '3',
      PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: '4',
      // Not "the first account": the integration files share one database, so another file may have made it.
      ADMIN_EMAILS: ADMIN_EMAIL,
    },
  });
  admin = new From();
  await admin.register(ADMIN_EMAIL, 'Admin');
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
  await mail?.close();
});

describe('without mail (SMTP_URL unset)', () => {
  it('says to ask an administrator, and refuses "Forgot password?" with that sentence', async () => {
    expect((await bodyOf<AuthOptions>(await fetch(`${stack.baseUrl}/api/auth/options`))).passwordReset).toBe('admin');
    const res = await new From().request('POST', '/api/auth/password-reset', { email: 'anyone@example.test' });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).message).toBe(RESET_BY_ADMIN);
  });

  it('lets an administrator issue a one-time reset link, and nobody else', async () => {
    const { client: pat, email: patEmail } = await person();
    expect((await pat.request('POST', '/api/admin/password-reset-links', { email: patEmail })).status).toBe(403);
    expect((await admin.request('POST', '/api/admin/password-reset-links', { email: 'nobody@example.test' })).status).toBe(404);
    const link = await admin.json<AdminResetLinkView>('POST', '/api/admin/password-reset-links', { email: patEmail }, 201);
    expect(link.path).toMatch(/^\/reset-password#token=[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(stack.baseUrl + link.path);
    const s = await connect(pat.token!);
    const gone = disconnected(s);
    expect((await new From().request('POST', '/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status).toBe(204);
    await gone;
    expect((await pat.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await signIn(patEmail, NEW_PASSWORD)).status).toBe(200);
  });
});

describe('with mail (SMTP_URL: a real SMTP server)', () => {
  beforeAll(async () => {
    await stack.restartApi({ SMTP_URL: mail.url, PUBLIC_URL: stack.baseUrl, MAIL_FROM: 'Reelroom <rooms@example.test>' });
  });

  it('answers the same for an account and for an unknown address, and mails only the account', async () => {
    expect((await bodyOf<AuthOptions>(await fetch(`${stack.baseUrl}/api/auth/options`))).passwordReset).toBe('email');
    const { email: known } = await person();
    const unknown = email();
    const a = await new From().request('POST', '/api/auth/password-reset', { email: known.toUpperCase() });
    const b = await new From().request('POST', '/api/auth/password-reset', { email: unknown });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await a.json()).toEqual({ message: PASSWORD_RESET_REQUESTED });
    expect(await b.json()).toEqual({ message: PASSWORD_RESET_REQUESTED });
    const sent = await mail.nth(known);
    expect(sent.from).toBe('rooms@example.test');
    expect(sent.subject).toBe('Choose a new Reelroom password');
    expect(MailCatcher.linkIn(sent)).toMatch(new RegExp(`^${stack.baseUrl}/reset-password#token=[A-Za-z0-9_-]{43}$`));
    // The unknown address got nothing (the known one's mail has arrived, so the other had its chance).
    expect(mail.to(unknown)).toEqual([]);
  });

  it('follows the mailed link: new password set, every session and socket signed out, the link used up', async () => {
    const { client: pat, email: patEmail } = await person();
    const other = new From();
    other.token = (await other.json<AuthResponse>('POST', '/api/auth/login', { email: patEmail, password: PASSWORD }, 200)).accessToken;
    const s = await connect(pat.token!);
    const gone = disconnected(s);
    await new From().json('POST', '/api/auth/password-reset', { email: patEmail }, 202);
    const token = tokenOf(MailCatcher.linkIn(await mail.nth(patEmail)));

    // A weak password is refused with its reason, and leaves the link working.
    const weak = await new From().request('POST', '/api/auth/password-reset/confirm', { token, password: 'password123' });
    expect(weak.status).toBe(400);
    expect((await errorOf(weak)).message).toMatch(/commonly used/);

    expect((await new From().request('POST', '/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status).toBe(204);
    await gone;
    expect((await pat.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await other.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await signIn(patEmail, PASSWORD)).status).toBe(401);
    expect((await signIn(patEmail, NEW_PASSWORD)).status).toBe(200);

    // Used once: the same link again is refused.
    const again = await new From().request('POST', '/api/auth/password-reset/confirm', { token, password: 'another fine phrase' });
    expect(again.status).toBe(400);
    expect((await errorOf(again)).message).toBe(RESET_TOKEN_INVALID);
  });

  it('refuses a wrong token, a malformed one, an expired one and one superseded by a newer link', async () => {
    const wrong = await new From().request('POST', '/api/auth/password-reset/confirm', { token: 'A'.repeat(43), password: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).message).toBe(RESET_TOKEN_INVALID);
    const cut = await new From().request('POST', '/api/auth/password-reset/confirm', { token: 'abc', password: NEW_PASSWORD });
    expect(cut.status).toBe(400);
    expect((await errorOf(cut)).message).toMatch(/incomplete/);

    const { email: patEmail } = await person();
    const from = new From();
    await from.json('POST', '/api/auth/password-reset', { email: patEmail }, 202);
    const first = tokenOf(MailCatcher.linkIn(await mail.nth(patEmail, 1)));
    await from.json('POST', '/api/auth/password-reset', { email: patEmail }, 202);
    const second = tokenOf(MailCatcher.linkIn(await mail.nth(patEmail, 2)));
    const superseded = await from.request('POST', '/api/auth/password-reset/confirm', { token: first, password: NEW_PASSWORD });
    expect((await errorOf(superseded)).message).toBe(RESET_TOKEN_INVALID);

    // Expired: the row's deadline moved into the past (the 30 minutes are not waited out).
    await sql(
      `UPDATE "PasswordResetToken" SET "expiresAt" = now() - interval '1 second' WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`,
      [patEmail],
    );
    const expired = await from.request('POST', '/api/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD });
    expect(expired.status).toBe(400);
    expect((await errorOf(expired)).message).toBe(RESET_TOKEN_INVALID);
    expect((await signIn(patEmail, PASSWORD)).status).toBe(200);
  });

  it('throttles requests per email address (known or not alike) and per client address', async () => {
    const { email: known } = await person();
    const unknown = email();
    for (const who of [known, unknown]) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await new From().request('POST', '/api/auth/password-reset', { email: who })).status);
      expect(statuses, who).toEqual([202, 202, 202, 429]);
    }
    const one = new From();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await one.request('POST', '/api/auth/password-reset', { email: email() })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });
});

describe('display name and password', () => {
  it('changes the display name, with the same rules as at sign-up', async () => {
    const { client: pat } = await person();
    const me = await pat.json<MeView>('PATCH', '/api/auth/me', { displayName: '  Patricia  ' }, 200);
    expect(me.displayName).toBe('Patricia');
    expect((await pat.json<MeView>('GET', '/api/auth/me')).displayName).toBe('Patricia');
    const bidi = await pat.request('PATCH', '/api/auth/me', { displayName: 'Pat\u202e' });
    expect(bidi.status).toBe(400);
    expect((await pat.request('PATCH', '/api/auth/me', { displayName: '' })).status).toBe(400);
    // A new room join shows the new name.
    const room = await pat.createRoom('Names');
    const s = await connect(pat.token!);
    expect(okData(await ask<RoomSnapshot>(s, 'room:join', { roomId: room.id })).me.name).toBe('Patricia');
  });

  it('changes the password with the current one, and signs out every other session and its sockets', async () => {
    const { client: pat, email: patEmail } = await person();
    const other = new From();
    other.token = (await other.json<AuthResponse>('POST', '/api/auth/login', { email: patEmail, password: PASSWORD }, 200)).accessToken;
    const otherSocket = await connect(other.token);
    const mine = await connect(pat.token!);
    const gone = disconnected(otherSocket);

    const wrong = await pat.request('POST', '/api/auth/password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).message).toBe('Your current password is not right.');
    const weak = await pat.request('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: patEmail });
    expect(weak.status).toBe(400);

    // Two others: the registration's session and `other`'s.
    expect(await pat.json('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, 200)).toEqual({
      otherSessionsSignedOut: 2,
    });
    await gone;
    expect((await other.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await pat.request('GET', '/api/auth/me')).status).toBe(200);
    expect(mine.connected).toBe(true);
    expect((await signIn(patEmail, PASSWORD)).status).toBe(401);
    expect((await signIn(patEmail, NEW_PASSWORD)).status).toBe(200);
  });

  it('limits guesses of the current password like sign-ins (per account), then answers 429', async () => {
    const { client: pat } = await person();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (await pat.request('POST', '/api/auth/password', { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD })).status,
      );
    }
    // LOGIN_FAILS_PER_ACCOUNT is 10 by default.
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
    const right = await pat.request('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(right.status).toBe(429);
  });

  it('refuses a password change for a guest (no password) with a sentence', async () => {
    const room = await admin.createRoom('Guests');
    const guest = new From();
    guest.token = (await guest.json<AuthResponse>('POST', `/api/rooms/${room.id}/guest`, { displayName: 'Gus' }, 201)).accessToken;
    const res = await guest.request('POST', '/api/auth/password', { currentPassword: 'x', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/no password to change/);
  });
});
