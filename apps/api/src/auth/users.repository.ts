import type { UserRecord } from './auth.types.js';

/** Two sign-ups raced for one email and this one lost (the unique index decided). */
export class EmailTakenError extends Error {}

/** Users as AuthService needs them (PrismaUsersRepository in production). */
export abstract class UsersRepository {
  /** Throws EmailTakenError when the email is in use. */
  abstract create(data: { email: string; passwordHash: string; displayName: string }): Promise<UserRecord>;
  /** A guest: a display name, no email, no password (it cannot sign in again, only reuse its session). */
  abstract createGuest(displayName: string): Promise<UserRecord>;
  abstract findByEmail(email: string): Promise<UserRecord | null>;
}
