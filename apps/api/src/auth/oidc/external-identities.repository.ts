import type { UserRecord } from '../auth.types.js';

/**
 * The links between accounts here and accounts at OpenID Connect providers (PrismaExternalIdentities in
 * production), keyed by (provider id, the provider's subject).
 */
export abstract class ExternalIdentities {
  /** The user this provider account signs in to, or null when it was never linked. */
  abstract findUser(provider: string, subject: string): Promise<UserRecord | null>;
  /** Links the provider account to an existing user (a second link of the same one changes nothing). */
  abstract link(provider: string, subject: string, email: string, userId: string): Promise<void>;
  /**
   * A new account without a password and its link, together. Throws EmailTakenError when an account with
   * this email appeared meanwhile (the unique index decides).
   */
  abstract createUser(provider: string, subject: string, data: { email: string; displayName: string }): Promise<UserRecord>;
}
