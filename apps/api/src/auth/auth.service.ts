import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { AuthResponse, UserView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PasswordHasher } from './password.hasher.js';
import { assertPasswordAcceptable } from './password/password-policy.js';
import { SessionsRepository } from './sessions.repository.js';
import { EmailTakenError, UsersRepository } from './users.repository.js';
import { hashToken, newSessionToken } from './tokens.js';
import { toUserView, type AuthContext } from './auth.types.js';
import type { GuestSessions } from './guest-sessions.js';
import type { SessionAuthenticator } from './session-authenticator.js';

@Injectable()
export class AuthService implements GuestSessions, SessionAuthenticator {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(input: { email: string; password: string; displayName: string }): Promise<AuthResponse> {
    assertPasswordAcceptable(input.password, input);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const user = await this.users.create({ email: input.email, passwordHash, displayName: input.displayName });
      return await this.startSession(toUserView(user));
    } catch (err) {
      if (err instanceof EmailTakenError) throw new ConflictException('An account with this email already exists. Sign in instead.');
      throw err;
    }
  }

  async login(input: { email: string; password: string }): Promise<AuthResponse> {
    const user = await this.users.findByEmail(input.email);
    if (!user || !user.passwordHash) {
      await this.hasher.burn(input.password);
      throw new UnauthorizedException('Wrong email or password.');
    }
    if (!(await this.hasher.verify(user.passwordHash, input.password))) {
      throw new UnauthorizedException('Wrong email or password.');
    }
    return this.startSession(toUserView(user));
  }

  /** Creates a guest user (display name only) and a session for it: the room's guest join. */
  async createGuest(displayName: string): Promise<AuthResponse> {
    const user = await this.users.createGuest(displayName);
    return this.startSession(toUserView(user));
  }

  async logout(ctx: AuthContext): Promise<void> {
    await this.sessions.delete(ctx.sessionId);
  }

  /** Resolves a bearer or cookie token to its user; null when unknown, revoked or expired. */
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    if (!token || token.length > 200) return null;
    const session = await this.sessions.findByTokenHash(hashToken(token));
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    return { user: toUserView(session.user), sessionId: session.id };
  }

  private async startSession(user: UserView): Promise<AuthResponse> {
    const accessToken = newSessionToken();
    await this.sessions.create(user.id, hashToken(accessToken), new Date(Date.now() + this.config.sessionTtlMs));
    return { user, accessToken };
  }
}
