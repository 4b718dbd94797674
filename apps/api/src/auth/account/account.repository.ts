import type { UserRecord } from '../auth.types.js';

/** The account's own changes, as AccountService and PasswordResets need them (PrismaAccountRepository). */
export abstract class AccountRepository {
  abstract findById(userId: string): Promise<UserRecord | null>;
  abstract findByEmail(email: string): Promise<UserRecord | null>;
  abstract rename(userId: string, displayName: string): Promise<UserRecord>;
  abstract setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Deletes every session of the user but `keepSessionId`; returns the ids deleted (their sockets go too). */
  abstract deleteOtherSessions(userId: string, keepSessionId: string): Promise<string[]>;
}

/** One-time reset tokens, stored by their SHA-256 (PrismaAccountRepository's sibling, PrismaPasswordResets). */
export abstract class PasswordResetsRepository {
  /** Stores a new token; the user's older unused ones stop working (only the newest link is valid). */
  abstract replace(userId: string, tokenHash: string, expiresAt: Date): Promise<void>;
  /** The user of an unused, unexpired token (looked at, not used: the new password is judged first). */
  abstract findValid(tokenHash: string, now: Date): Promise<string | null>;
  /**
   * Marks the token used, in one conditional write (unused and unexpired at `now`): of two concurrent
   * uses only one wins. Returns the user id, or null when unknown, used or expired.
   */
  abstract consume(tokenHash: string, now: Date): Promise<string | null>;
  /** Forgets the user's tokens (after a reset, or a password change). */
  abstract deleteForUser(userId: string): Promise<void>;
}
