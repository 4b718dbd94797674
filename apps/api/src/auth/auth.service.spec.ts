import { ConflictException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { AuthService } from './auth.service.js';
import type { PasswordHasher } from './password.hasher.js';
import type { SessionRecord, SessionsRepository, SessionWithUser } from './sessions.repository.js';
import { SignInThrottle } from './throttle/sign-in-throttle.js';
import { MemoryAttemptLimiter } from '../testing/memory-attempt-limiter.js';
import { MemoryKnownDevices } from '../testing/memory-known-devices.js';
import { RecordingSessionSockets } from '../testing/recording-session-sockets.js';
import { RetryLaterException } from '../common/rate-limit/retry-later.exception.js';
import { EmailTakenError, type UsersRepository } from './users.repository.js';
import { hashToken } from './tokens.js';
import type { ClientInfo, UserRecord } from './auth.types.js';

const here: ClientInfo = { address: '203.0.113.1', deviceId: 'dev-1', userAgent: 'Test' };

/** In-memory fakes with the repositories' behaviour (unique email, token lookup by hash). */
class FakeUsers implements UsersRepository {
  rows: UserRecord[] = [];
  async create(d: { email: string; passwordHash: string; displayName: string }) {
    if (this.rows.some((r) => r.email === d.email)) throw new EmailTakenError();
    const row: UserRecord = { id: `u${this.rows.length + 1}`, ...d, isGuest: false };
    this.rows.push(row);
    return row;
  }
  async createGuest(displayName: string) {
    const row: UserRecord = { id: `u${this.rows.length + 1}`, email: null, passwordHash: null, displayName, isGuest: true };
    this.rows.push(row);
    return row;
  }
  async findByEmail(email: string) {
    return this.rows.find((r) => r.email === email) ?? null;
  }
}
class FakeSessions implements SessionsRepository {
  rows: Array<{ id: string; userId: string; tokenHash: string; expiresAt: Date; createdAt: Date } & ClientInfo> = [];
  constructor(private readonly users: FakeUsers) {}
  async create(userId: string, tokenHash: string, expiresAt: Date, client: ClientInfo) {
    const row = { id: `s${this.rows.length + 1}`, userId, tokenHash, expiresAt, createdAt: new Date(), ...client };
    this.rows.push(row);
    return { id: row.id };
  }
  async findByTokenHash(tokenHash: string): Promise<SessionWithUser | null> {
    const s = this.rows.find((r) => r.tokenHash === tokenHash);
    const u = s && this.users.rows.find((r) => r.id === s.userId);
    return s && u
      ? { id: s.id, expiresAt: s.expiresAt, user: { id: u.id, email: u.email, displayName: u.displayName, isGuest: u.isGuest } }
      : null;
  }
  async delete(id: string) {
    this.rows = this.rows.filter((r) => r.id !== id);
  }
  async listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.rows
      .filter((r) => r.userId === userId && r.expiresAt > now)
      .map((r) => ({ id: r.id, createdAt: r.createdAt, lastSeenAt: r.createdAt, address: r.address, userAgent: r.userAgent }));
  }
  async deleteForUser(userId: string, id: string) {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !(r.id === id && r.userId === userId));
    return this.rows.length < before;
  }
  async deleteAllForUser(userId: string) {
    this.rows = this.rows.filter((r) => r.userId !== userId);
  }
  async clientsOf(userId: string) {
    const mine = this.rows.filter((r) => r.userId === userId);
    return { deviceIds: mine.flatMap((r) => (r.deviceId ? [r.deviceId] : [])), addresses: mine.map((r) => r.address) };
  }
}
class FakeHasher implements PasswordHasher {
  burned = 0;
  async hash(p: string) {
    return `hashed:${p}`;
  }
  async verify(h: string, p: string) {
    return h === `hashed:${p}`;
  }
  async burn() {
    this.burned++;
  }
}
const fakeHasher = new FakeHasher();

describe(AuthService.name, () => {
  let users: FakeUsers;
  let sessions: FakeSessions;
  let sut: AuthService;
  let sockets: RecordingSessionSockets;
  const config = loadConfig({ SESSION_TTL_DAYS: '1', LOGIN_FAILS_PER_ACCOUNT: '3', REGISTRATIONS_PER_ADDRESS_PER_HOUR: '5' });

  beforeEach(() => {
    users = new FakeUsers();
    sessions = new FakeSessions(users);
    sockets = new RecordingSessionSockets();
    fakeHasher.burned = 0;
    sut = new AuthService(
      users,
      sessions,
      fakeHasher,
      new SignInThrottle(new MemoryAttemptLimiter(), new MemoryKnownDevices(), config),
      sockets,
      config,
    );
  });

  it('registers a user, stores only the password hash and the token hash', async () => {
    const r = await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    expect(r.user).toEqual({ id: 'u1', email: 'a@x.test', displayName: 'A', isGuest: false });
    expect(users.rows[0].passwordHash).toBe('hashed:pw123456');
    expect(sessions.rows[0].tokenHash).toBe(hashToken(r.accessToken));
    expect(sessions.rows[0].tokenHash).not.toContain(r.accessToken);
  });

  it('turns a duplicate email into 409', async () => {
    await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    await expect(sut.register({ email: 'a@x.test', password: 'other123', displayName: 'B' }, here)).rejects.toBeInstanceOf(
      ConflictException,
    );
  });

  it('refuses a wrong password and an unknown email alike, spending hash time on the unknown one', async () => {
    await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    await expect(sut.login({ email: 'a@x.test', password: 'nope' }, here)).rejects.toThrow(
      new UnauthorizedException('Wrong email or password.'),
    );
    await expect(sut.login({ email: 'b@x.test', password: 'nope' }, here)).rejects.toThrow(
      new UnauthorizedException('Wrong email or password.'),
    );
    expect(fakeHasher.burned).toBe(1);
  });

  it('authenticates a live token and forgets it after logout', async () => {
    const r = await sut.login(
      {
        email: (await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here)).user.email!,
        password: 'pw123456',
      },
      here,
    );
    const ctx = await sut.authenticate(r.accessToken);
    expect(ctx?.user.id).toBe('u1');
    await sut.logout(ctx!);
    expect(await sut.authenticate(r.accessToken)).toBeNull();
    expect(sockets.sessions).toEqual([ctx!.sessionId]);
  });

  it('signs in as an account proven elsewhere (a provider) with an ordinary session, no password involved', async () => {
    const user: UserRecord = { id: 'u9', email: 'sso@x.test', passwordHash: null, displayName: 'SSO', isGuest: false };
    users.rows.push(user);
    const r = await sut.signInAs(user, here);
    expect(r.user).toEqual({ id: 'u9', email: 'sso@x.test', displayName: 'SSO', isGuest: false });
    expect(sessions.rows).toMatchObject([{ userId: 'u9', tokenHash: hashToken(r.accessToken), address: here.address, deviceId: 'dev-1' }]);
    expect((await sut.authenticate(r.accessToken))?.user.id).toBe('u9');
  });

  it('locks password sign-in after LOGIN_FAILS_PER_ACCOUNT wrong passwords, before any hash, with the wait in minutes', async () => {
    await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    const elsewhere = { ...here, deviceId: 'dev-elsewhere' };
    for (let i = 0; i < 3; i++)
      await expect(sut.login({ email: 'a@x.test', password: 'nope' }, elsewhere)).rejects.toBeInstanceOf(UnauthorizedException);
    const locked = sut.login({ email: 'a@x.test', password: 'pw123456' }, { ...here, address: '198.51.100.2', deviceId: 'dev-new' });
    await expect(locked).rejects.toBeInstanceOf(RetryLaterException);
    await expect(locked).rejects.toThrow('Too many attempts, try again in 15 minutes.');
  });

  it('keeps a browser that signed in before apart: guesses from elsewhere do not lock its owner out', async () => {
    await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    const attacker = { address: '198.51.100.9', deviceId: 'dev-attacker', userAgent: null };
    for (let i = 0; i < 3; i++)
      await expect(sut.login({ email: 'a@x.test', password: 'nope' }, attacker)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(sut.login({ email: 'a@x.test', password: 'pw123456' }, attacker)).rejects.toBeInstanceOf(RetryLaterException);
    expect((await sut.login({ email: 'a@x.test', password: 'pw123456' }, here)).user.email).toBe('a@x.test');
  });

  it('limits registrations per address', async () => {
    for (let i = 0; i < 5; i++) await sut.register({ email: `r${i}@x.test`, password: 'pw123456', displayName: 'R' }, here);
    await expect(sut.register({ email: 'r9@x.test', password: 'pw123456', displayName: 'R' }, here)).rejects.toBeInstanceOf(
      RetryLaterException,
    );
    await sut.register({ email: 'r9@x.test', password: 'pw123456', displayName: 'R' }, { ...here, address: '198.51.100.2' });
  });

  it('lists the sessions, revokes one (and its sockets), signs out everywhere', async () => {
    const a = await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    const b = await sut.login({ email: 'a@x.test', password: 'pw123456' }, { ...here, userAgent: 'Phone' });
    const ctx = (await sut.authenticate(a.accessToken))!;
    const list = await sut.listSessions(ctx);
    expect(list.map((s) => [s.current, s.userAgent])).toEqual([
      [true, 'Test'],
      [false, 'Phone'],
    ]);
    await sut.revokeSession(ctx, list[1].id);
    expect(await sut.authenticate(b.accessToken)).toBeNull();
    expect(sockets.sessions).toEqual([list[1].id]);
    const other = await sut.register({ email: 'o@x.test', password: 'pw123456', displayName: 'O' }, here);
    const otherCtx = (await sut.authenticate(other.accessToken))!;
    await expect(sut.revokeSession(otherCtx, ctx.sessionId)).rejects.toBeInstanceOf(NotFoundException);
    await sut.login({ email: 'a@x.test', password: 'pw123456' }, here);
    await sut.logoutEverywhere(ctx);
    expect(await sut.listSessions(ctx)).toEqual([]);
    expect(sockets.users).toEqual([ctx.user.id]);
  });

  it('rejects expired, unknown, missing and absurdly long tokens', async () => {
    const r = await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' }, here);
    sessions.rows[0].expiresAt = new Date(Date.now() - 1);
    expect(await sut.authenticate(r.accessToken)).toBeNull();
    expect(await sut.authenticate('unknown')).toBeNull();
    expect(await sut.authenticate(undefined)).toBeNull();
    expect(await sut.authenticate('x'.repeat(500))).toBeNull();
  });
});
