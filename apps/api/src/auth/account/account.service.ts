import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { UserView } from '@reelroom/contracts';
import { SessionSockets } from '../../common/ports/session-sockets.js';
import { PasswordHasher } from '../password.hasher.js';
import { assertPasswordAcceptable } from '../password/password-policy.js';
import { SignInThrottle } from '../throttle/sign-in-throttle.js';
import { toUserView, type AuthContext, type ClientInfo } from '../auth.types.js';
import { AccountRepository, PasswordResetsRepository } from './account.repository.js';

export const NO_PASSWORD = 'This account has no password to change: it signs in with a provider, or joined as a guest.';
export const WRONG_CURRENT_PASSWORD = 'Your current password is not right.';

/**
 * Changes people make to their own account (issue 12): the display name, and the password. Changing the
 * password needs the current one, counts against the same per-account and per-address limits as
 * signing in (a stolen session cannot guess it faster than a sign-in form), and signs out every other
 * session of the account, with their sockets.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly sockets: SessionSockets,
  ) {}

  async rename(ctx: AuthContext, displayName: string): Promise<UserView> {
    return toUserView(await this.accounts.rename(ctx.user.id, displayName));
  }

  /** Returns how many other sessions were signed out. */
  async changePassword(ctx: AuthContext, input: { currentPassword: string; newPassword: string }, client: ClientInfo): Promise<number> {
    const user = await this.accounts.findById(ctx.user.id);
    if (!user) throw new NotFoundException('This account does not exist any more.');
    if (!user.email || !user.passwordHash) throw new BadRequestException(NO_PASSWORD);
    // Reserved before argon2 runs, like a sign-in (see SignInThrottle).
    await this.throttle.beforePasswordCheck(user.email, client);
    if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) throw new BadRequestException(WRONG_CURRENT_PASSWORD);
    await this.throttle.passwordAccepted(user.email, client);
    assertPasswordAcceptable(input.newPassword, { email: user.email, displayName: user.displayName });
    await this.accounts.setPasswordHash(user.id, await this.hasher.hash(input.newPassword));
    // A reset link sent before the change must not undo it.
    await this.resets.deleteForUser(user.id);
    const others = await this.accounts.deleteOtherSessions(user.id, ctx.sessionId);
    for (const id of others) this.sockets.disconnectSession(id);
    return others.length;
  }
}
