import { Inject, Injectable } from '@nestjs/common';
import type { UserView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** Where the first registered account is found (PrismaAdminAccounts; a fake in specs). */
export abstract class AdminAccounts {
  /** The oldest account that is not a guest, or null before anyone registered. */
  abstract firstAccountId(): Promise<string | null>;
}

/**
 * Who is an administrator (issue 10): the first account ever registered, and every account whose email is
 * in ADMIN_EMAILS. Decided from the data each time, not stored: no migration, no flag to fall out of step,
 * and two racing first sign-ups cannot both win (the oldest row is one row). Guests never are.
 */
@Injectable()
export class AdminPolicy {
  /** The first account never changes once it exists, so it is looked up until found, then remembered. */
  private first: string | null = null;

  constructor(
    private readonly accounts: AdminAccounts,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'adminEmails'>,
  ) {}

  async isAdmin(user: Pick<UserView, 'id' | 'email' | 'isGuest'>): Promise<boolean> {
    if (user.isGuest) return false;
    if (user.email && this.config.adminEmails.includes(user.email.toLowerCase())) return true;
    this.first ??= await this.accounts.firstAccountId();
    return this.first === user.id;
  }
}
