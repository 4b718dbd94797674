import { ConflictException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { AuthResponse, SessionView, UserView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SessionSockets } from '../common/ports/session-sockets.js';
import { PasswordHasher } from './password.hasher.js';
import { assertPasswordAcceptable } from './password/password-policy.js';
import { SessionsRepository } from './sessions.repository.js';
import { EmailTakenError, UsersRepository } from './users.repository.js';
import { hashToken, newSessionToken } from './tokens.js';
import { toUserView, type AuthContext, type ClientInfo, type UserRecord } from './auth.types.js';
import { SignInThrottle } from './throttle/sign-in-throttle.js';
import type { GuestSessions } from './guest-sessions.js';
import type { SessionAuthenticator } from './session-authenticator.js';

@Injectable()
export class AuthService implements GuestSessions, SessionAuthenticator {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly sockets: SessionSockets,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'sessionTtlMs'>,
  ) {}

  async register(input: { email: string; password: string; displayName: string }, client: ClientInfo): Promise<AuthResponse> {
    assertPasswordAcceptable(input.password, input);
    await this.throttle.beforeRegistration(client.address);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const user = await this.users.create({ email: input.email, passwordHash, displayName: input.displayName });
      await this.throttle.signedIn(input.email, client);
      return await this.startSession(toUserView(user), client);
    } catch (err) {
      if (err instanceof EmailTakenError) throw new ConflictException('An account with this email already exists. Sign in instead.');
      throw err;
    }
  }

  /** The attempt is reserved (per account and per address) before any hash is computed. */
  async login(input: { email: string; password: string }, client: ClientInfo): Promise<AuthResponse> {
    await this.throttle.beforePasswordCheck(input.email, client);
    const user = await this.users.findByEmail(input.email);
    if (!user || !user.passwordHash) {
      await this.hasher.burn(input.password);
      throw new UnauthorizedException('Wrong email or password.');
    }
    if (!(await this.hasher.verify(user.passwordHash, input.password))) {
      throw new UnauthorizedException('Wrong email or password.');
    }
    await this.throttle.passwordAccepted(input.email, client);
    return this.startSession(toUserView(user), client);
  }

  /**
   * A new session for an account whose owner proved who they are elsewhere (an OpenID Connect provider):
   * the same session, cookie and remembered browser as a password sign-in.
   */
  async signInAs(user: UserRecord, client: ClientInfo): Promise<AuthResponse> {
    if (user.email) await this.throttle.signedIn(user.email, client);
    return this.startSession(toUserView(user), client);
  }

  /** Creates a guest user (display name only) and a session for it: the room's guest join. */
  async createGuest(displayName: string, client: ClientInfo): Promise<AuthResponse> {
    await this.throttle.beforeGuest(client.address);
    const user = await this.users.createGuest(displayName);
    return this.startSession(toUserView(user), client);
  }

  clientsOf(userId: string): Promise<{ deviceIds: string[]; addresses: string[] }> {
    return this.sessions.clientsOf(userId);
  }

  /** Signs this session out: the row goes (the token dies) and its sockets are disconnected everywhere. */
  async logout(ctx: AuthContext): Promise<void> {
    await this.sessions.delete(ctx.sessionId);
    this.sockets.disconnectSession(ctx.sessionId);
  }

  /** "Sign out everywhere": every session of the user, and every socket they have open. */
  async logoutEverywhere(ctx: AuthContext): Promise<void> {
    await this.sessions.deleteAllForUser(ctx.user.id);
    this.sockets.disconnectUser(ctx.user.id);
  }

  async listSessions(ctx: AuthContext, now = new Date()): Promise<SessionView[]> {
    return (await this.sessions.listForUser(ctx.user.id, now)).map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      address: s.address,
      userAgent: s.userAgent,
      current: s.id === ctx.sessionId,
    }));
  }

  /** Signs out one of the caller's sessions (another browser); someone else's answers like a missing one. */
  async revokeSession(ctx: AuthContext, sessionId: string): Promise<void> {
    if (!(await this.sessions.deleteForUser(ctx.user.id, sessionId))) throw new NotFoundException('This session does not exist.');
    this.sockets.disconnectSession(sessionId);
  }

  /** Resolves a bearer or cookie token to its user; null when unknown, revoked or expired. */
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    if (!token || token.length > 200) return null;
    const session = await this.sessions.findByTokenHash(hashToken(token));
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    return { user: toUserView(session.user), sessionId: session.id };
  }

  private async startSession(user: UserView, client: ClientInfo): Promise<AuthResponse> {
    const accessToken = newSessionToken();
    await this.sessions.create(user.id, hashToken(accessToken), new Date(Date.now() + this.config.sessionTtlMs), client);
    return { user, accessToken };
  }
}
