export interface SessionWithUser {
  id: string;
  expiresAt: Date;
  user: { id: string; email: string | null; displayName: string; isGuest: boolean };
}

/** Sessions, stored by the hash of their token (PrismaSessionsRepository in production). */
export abstract class SessionsRepository {
  abstract create(userId: string, tokenHash: string, expiresAt: Date): Promise<{ id: string }>;
  abstract findByTokenHash(tokenHash: string): Promise<SessionWithUser | null>;
  abstract delete(id: string): Promise<void>;
}
