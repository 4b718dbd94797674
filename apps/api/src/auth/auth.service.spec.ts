import { ConflictException, UnauthorizedException } from '@nestjs/common';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { AuthService } from './auth.service.js';
import type { PasswordHasher } from './password.hasher.js';
import type { SessionsRepository, SessionWithUser } from './sessions.repository.js';
import { EmailTakenError, type UsersRepository } from './users.repository.js';
import { hashToken } from './tokens.js';
import type { UserRecord } from './auth.types.js';

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
  rows: Array<{ id: string; userId: string; tokenHash: string; expiresAt: Date }> = [];
  constructor(private readonly users: FakeUsers) {}
  async create(userId: string, tokenHash: string, expiresAt: Date) {
    const row = { id: `s${this.rows.length + 1}`, userId, tokenHash, expiresAt };
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

  beforeEach(() => {
    users = new FakeUsers();
    sessions = new FakeSessions(users);
    fakeHasher.burned = 0;
    sut = new AuthService(users, sessions, fakeHasher, loadConfig({ SESSION_TTL_DAYS: '1' }));
  });

  it('registers a user, stores only the password hash and the token hash', async () => {
    const r = await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' });
    expect(r.user).toEqual({ id: 'u1', email: 'a@x.test', displayName: 'A', isGuest: false });
    expect(users.rows[0].passwordHash).toBe('hashed:pw123456');
    expect(sessions.rows[0].tokenHash).toBe(hashToken(r.accessToken));
    expect(sessions.rows[0].tokenHash).not.toContain(r.accessToken);
  });

  it('turns a duplicate email into 409', async () => {
    await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' });
    await expect(sut.register({ email: 'a@x.test', password: 'other123', displayName: 'B' })).rejects.toBeInstanceOf(ConflictException);
  });

  it('refuses a wrong password and an unknown email alike, spending hash time on the unknown one', async () => {
    await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' });
    await expect(sut.login({ email: 'a@x.test', password: 'nope' })).rejects.toThrow(new UnauthorizedException('Wrong email or password.'));
    await expect(sut.login({ email: 'b@x.test', password: 'nope' })).rejects.toThrow(new UnauthorizedException('Wrong email or password.'));
    expect(fakeHasher.burned).toBe(1);
  });

  it('authenticates a live token and forgets it after logout', async () => {
    const r = await sut.login({
      email: (await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' })).user.email!,
      password: 'pw123456',
    });
    const ctx = await sut.authenticate(r.accessToken);
    expect(ctx?.user.id).toBe('u1');
    await sut.logout(ctx!);
    expect(await sut.authenticate(r.accessToken)).toBeNull();
  });

  it('rejects expired, unknown, missing and absurdly long tokens', async () => {
    const r = await sut.register({ email: 'a@x.test', password: 'pw123456', displayName: 'A' });
    sessions.rows[0].expiresAt = new Date(Date.now() - 1);
    expect(await sut.authenticate(r.accessToken)).toBeNull();
    expect(await sut.authenticate('unknown')).toBeNull();
    expect(await sut.authenticate(undefined)).toBeNull();
    expect(await sut.authenticate('x'.repeat(500))).toBeNull();
  });
});
