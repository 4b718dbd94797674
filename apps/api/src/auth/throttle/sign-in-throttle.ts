import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { addressKey } from '../../common/rate-limit/address-key.js';
import { AttemptLimiter, type AttemptRule } from '../../common/rate-limit/attempt-limiter.js';
import { tooManyAttempts } from '../../common/rate-limit/retry-later.exception.js';
import { KnownDevices } from './known-devices.js';

const HOUR_MS = 3_600_000;

type ThrottleConfig = Pick<
  AppConfig,
  | 'loginFailsPerAccount'
  | 'loginFailsPerAddress'
  | 'loginFailWindowSec'
  | 'loginMaxLockoutSec'
  | 'registrationsPerAddressPerHour'
  | 'guestsPerAddressPerHour'
>;

/** Who is signing in, as far as the limits care: the client address and the browser's device id. */
export interface SignInClient {
  address: string;
  deviceId: string | null;
}

/** Emails are keyed by a hash: Redis holds counters, not people's addresses. */
const emailKey = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);

/**
 * The limits around accounts, in front of the expensive or abusable work:
 * - password sign-in: wrong passwords per account and per client address (LOGIN_FAILS_PER_*) in
 *   LOGIN_FAIL_WINDOW_SEC, then a lockout of one window that doubles each time (LOGIN_MAX_LOCKOUT_MIN).
 *   The attempt is reserved before argon2 runs, so parallel guesses cannot exceed the limit; a right
 *   password forgets the account's count and gives the address its attempt back. A browser that signed
 *   in to the account before has its own account count (KnownDevices), so the owner is not locked out.
 * - new accounts and guests per client address per hour.
 * Refusals are 429 "Too many attempts, try again in N minutes." with Retry-After.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    private readonly attempts: AttemptLimiter,
    private readonly devices: KnownDevices,
    @Inject(APP_CONFIG) private readonly config: ThrottleConfig,
  ) {}

  /**
   * The account's count is kept apart for a browser that signed in to it before (KnownDevices): guesses
   * from elsewhere cannot lock the owner out of their own browser.
   */
  private async loginRules(email: string, client: SignInClient): Promise<AttemptRule[]> {
    const windowMs = this.config.loginFailWindowSec * 1000;
    const maxLockMs = Math.max(windowMs, this.config.loginMaxLockoutSec * 1000);
    const account = emailKey(email);
    const known = client.deviceId !== null && (await this.devices.knows(account, client.deviceId));
    const accountKey = known ? `login:account:${account}:device:${client.deviceId}` : `login:account:${account}`;
    return [
      { key: accountKey, limit: this.config.loginFailsPerAccount, windowMs, lockMs: windowMs, maxLockMs },
      {
        key: `login:address:${addressKey(client.address)}`,
        limit: this.config.loginFailsPerAddress,
        windowMs,
        lockMs: windowMs,
        maxLockMs,
      },
    ];
  }

  /** Before the password is checked: reserves the attempt, or throws the 429. */
  async beforePasswordCheck(email: string, client: SignInClient): Promise<void> {
    const r = await this.attempts.reserve(await this.loginRules(email, client));
    if (!r.ok) throw tooManyAttempts(r.retryAfterMs);
  }

  /** The password was right: the count starts afresh, the address gets its attempt back, the browser is known. */
  async passwordAccepted(email: string, client: SignInClient): Promise<void> {
    const [account, byAddress] = await this.loginRules(email, client);
    await Promise.all([this.attempts.reset(account.key), this.attempts.release(byAddress.key), this.signedIn(email, client)]);
  }

  /** A new account's browser is known to it from the start. */
  async signedIn(email: string, client: SignInClient): Promise<void> {
    if (client.deviceId) await this.devices.remember(emailKey(email), client.deviceId);
  }

  async beforeRegistration(address: string): Promise<void> {
    await this.perHour(`register:${addressKey(address)}`, this.config.registrationsPerAddressPerHour);
  }

  async beforeGuest(address: string): Promise<void> {
    await this.perHour(`guest:${addressKey(address)}`, this.config.guestsPerAddressPerHour);
  }

  private async perHour(key: string, limit: number): Promise<void> {
    const r = await this.attempts.reserve([{ key, limit, windowMs: HOUR_MS, lockMs: HOUR_MS, maxLockMs: HOUR_MS }]);
    if (!r.ok) throw tooManyAttempts(r.retryAfterMs);
  }
}
