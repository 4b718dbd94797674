import type { Response } from 'express';
import { SESSION_COOKIE } from '@reelroom/contracts';

/**
 * The session cookie every way of signing in sets (password, registration, OpenID Connect): httpOnly,
 * SameSite=Lax, Secure when the site is on HTTPS, as long-lived as the session.
 */
export function setSessionCookie(res: Response, token: string, opts: { secure: boolean; maxAgeMs: number }): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/', maxAge: opts.maxAgeMs });
}
