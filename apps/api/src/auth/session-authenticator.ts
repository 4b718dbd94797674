import type { AuthContext } from './auth.types.js';

/**
 * Resolves a bearer or cookie token to who is calling (null when unknown, revoked or expired).
 * AuthService implements it; the socket handshake depends on this port so its spec passes a fake.
 */
export abstract class SessionAuthenticator {
  abstract authenticate(token: string | undefined): Promise<AuthContext | null>;
}
