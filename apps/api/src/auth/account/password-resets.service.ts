import { createHash } from 'node:crypto';
import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Logger } from 'pino';
import { RESET_BY_ADMIN, RESET_TOKEN_INVALID, resetPath, type AdminResetLinkView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { LOGGER } from '../../common/logger.js';
import { addressKey } from '../../common/rate-limit/address-key.js';
import { AttemptLimiter } from '../../common/rate-limit/attempt-limiter.js';
import { tooManyAttempts } from '../../common/rate-limit/retry-later.exception.js';
import { SessionSockets } from '../../common/ports/session-sockets.js';
import { Mailer } from '../../mail/mailer.js';
import { PasswordHasher } from '../password.hasher.js';
import { assertPasswordAcceptable } from '../password/password-policy.js';
import { SessionsRepository } from '../sessions.repository.js';
import { hashToken, newSessionToken } from '../tokens.js';
import { AccountRepository, PasswordResetsRepository } from './account.repository.js';
import { resetMail } from './reset-mail.js';

const HOUR_MS = 3_600_000;
/** Emails are keyed by a hash: Redis holds counters, not people's addresses. */
const emailKey = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);

type ResetConfig = Pick<AppConfig, 'passwordReset' | 'publicUrl'>;

/**
 * A forgotten password (issue 12). A reset link carries a one-time token: 256 random bits, stored as its
 * SHA-256, valid PASSWORD_RESET_TTL_MIN, used once (a conditional write decides between two uses), and
 * only the newest one per account works. Using it sets the new password and signs out every session.
 *
 * - By email (SMTP_URL set): "Forgot password?" answers the same whether or not an account has the
 *   address, and sends the mail after answering, so neither the answer nor its timing tells. Requests
 *   are limited per email address and per client address, for any address, known or not.
 * - By an administrator (any server): the admin console issues the link and hands it over.
 */
@Injectable()
export class PasswordResets {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly sessions: SessionsRepository,
    private readonly sockets: SessionSockets,
    private readonly hasher: PasswordHasher,
    private readonly attempts: AttemptLimiter,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: ResetConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  get byEmail(): boolean {
    return this.mailer.enabled;
  }

  /** "Forgot password?": resolves the same way for every address (the mail goes out afterwards). */
  async request(email: string, address: string, now = Date.now()): Promise<void> {
    if (!this.mailer.enabled) throw new ForbiddenException(RESET_BY_ADMIN);
    const rule = (key: string, limit: number) => ({ key, limit, windowMs: HOUR_MS, lockMs: HOUR_MS, maxLockMs: HOUR_MS });
    const r = await this.attempts.reserve([
      rule(`reset:email:${emailKey(email)}`, this.config.passwordReset.perEmailPerHour),
      rule(`reset:address:${addressKey(address)}`, this.config.passwordReset.perAddressPerHour),
    ]);
    if (!r.ok) throw tooManyAttempts(r.retryAfterMs);
    const user = await this.accounts.findByEmail(email);
    if (!user || !user.email) return;
    const token = await this.issue(user.id, now);
    const to = user.email;
    // Not awaited: an SMTP round trip only for existing accounts would tell them apart by timing.
    void this.mailer
      .send(resetMail({ to, link: this.linkFor(token), ttlMs: this.config.passwordReset.ttlMs }))
      .then(() => this.log.info({ userId: user.id }, 'password reset mail sent'))
      .catch((err: unknown) => this.log.warn({ userId: user.id, err: String(err) }, 'password reset mail failed'));
  }

  /** An administrator's link for the account with this email (the console shows it to hand over). */
  async issueByAdmin(adminId: string, email: string, now = Date.now()): Promise<AdminResetLinkView> {
    const user = await this.accounts.findByEmail(email);
    if (!user || user.isGuest) throw new NotFoundException('No account has this email address.');
    const token = await this.issue(user.id, now);
    this.log.info({ adminId, userId: user.id }, 'password reset link issued by an administrator');
    return { path: resetPath(token), expiresAt: new Date(now + this.config.passwordReset.ttlMs).toISOString() };
  }

  /**
   * Sets the new password and uses the token up. The password is judged before the token is used, so a
   * refused password leaves the link working; argon2 runs only for a valid token (no hashing for guesses).
   */
  async confirm(token: string, password: string, now = new Date()): Promise<void> {
    const tokenHash = hashToken(token);
    const userId = await this.resets.findValid(tokenHash, now);
    const user = userId ? await this.accounts.findById(userId) : null;
    if (!user) throw new BadRequestException(RESET_TOKEN_INVALID);
    assertPasswordAcceptable(password, { email: user.email ?? undefined, displayName: user.displayName });
    const passwordHash = await this.hasher.hash(password);
    if ((await this.resets.consume(tokenHash, now)) !== user.id) throw new BadRequestException(RESET_TOKEN_INVALID);
    await this.accounts.setPasswordHash(user.id, passwordHash);
    await this.resets.deleteForUser(user.id);
    // Whoever knew the old password (or holds a stolen session) is out.
    await this.sessions.deleteAllForUser(user.id);
    this.sockets.disconnectUser(user.id);
    this.log.info({ userId: user.id }, 'password reset');
  }

  private async issue(userId: string, now: number): Promise<string> {
    const token = newSessionToken();
    await this.resets.replace(userId, hashToken(token), new Date(now + this.config.passwordReset.ttlMs));
    return token;
  }

  private linkFor(token: string): string {
    // PUBLIC_URL is required with SMTP_URL (config): never the request's Host header, which anyone sets.
    return `${this.config.publicUrl!.replace(/\/+$/, '')}${resetPath(token)}`;
  }
}
