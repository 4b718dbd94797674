import type { ClientInfo } from './auth.types.js';

export interface SessionWithUser {
  id: string;
  expiresAt: Date;
  user: { id: string; email: string | null; displayName: string; isGuest: boolean };
}

export interface SessionRecord {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  address: string | null;
  userAgent: string | null;
}

/** Sessions, stored by the hash of their token (PrismaSessionsRepository in production). */
export abstract class SessionsRepository {
  abstract create(userId: string, tokenHash: string, expiresAt: Date, client: ClientInfo): Promise<{ id: string }>;
  abstract findByTokenHash(tokenHash: string): Promise<SessionWithUser | null>;
  abstract delete(id: string): Promise<void>;
  /** The user's unexpired sessions, newest first. */
  abstract listForUser(userId: string, now: Date): Promise<SessionRecord[]>;
  /** Deletes one of the user's sessions; false when it is not theirs (or gone). */
  abstract deleteForUser(userId: string, id: string): Promise<boolean>;
  /** Deletes every session of the user. */
  abstract deleteAllForUser(userId: string): Promise<void>;
  /** The devices and addresses the user's sessions were opened from (what a ban holds on). */
  abstract clientsOf(userId: string): Promise<{ deviceIds: string[]; addresses: string[] }>;
}
