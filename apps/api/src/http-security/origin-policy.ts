import { SESSION_COOKIE } from '@reelroom/contracts';

/** Headers the origin checks read (node's lower-case names; a plain object in unit specs). */
export type OriginHeaders = {
  origin?: string;
  referer?: string;
  host?: string;
  cookie?: string;
  authorization?: string;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CROSS_SITE_REFUSED = 'This request came from another site and was refused. Use Reelroom itself for this.';

/**
 * Where a browser page may act from. With `allowedOrigins` (PUBLIC_URL's origin and ALLOWED_ORIGINS) set,
 * exactly those; with none configured (a local instance without PUBLIC_URL), a page served by this very
 * host (the Origin's host equals the request's Host header, which a browser sets to the server it talks to).
 */
export function originAllowed(origin: string, allowedOrigins: readonly string[], host: string | undefined): boolean {
  if (allowedOrigins.includes(origin)) return true;
  if (allowedOrigins.length > 0 || !host) return false;
  return URL.canParse(origin) && new URL(origin).host === host && /^https?:$/.test(new URL(origin).protocol);
}

const refererOrigin = (referer: string | undefined): string | undefined =>
  referer && URL.canParse(referer) ? new URL(referer).origin : undefined;
const bearer = (h: OriginHeaders) => /^Bearer\s+\S/i.test(h.authorization ?? '');
const hasSessionCookie = (h: OriginHeaders) => (h.cookie ?? '').split(';').some((p) => p.trim().startsWith(`${SESSION_COOKIE}=`));

/**
 * Pure: should this HTTP request be refused as cross-site (CSRF)? Only state-changing methods are checked.
 * A Bearer token is not sent by browsers on their own, so it needs no check. Otherwise the Origin (or, when
 * a browser leaves it out, the Referer's origin) must be allowed; with neither, a request that carries the
 * session cookie is refused (a browser page always sends one of them on a cross-site write), while a
 * script without cookies goes on to the usual authentication.
 */
export function csrfRefused(method: string, h: OriginHeaders, allowedOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(method.toUpperCase()) || bearer(h)) return false;
  const origin = h.origin ?? refererOrigin(h.referer);
  if (origin !== undefined) return !originAllowed(origin, allowedOrigins, h.host);
  return hasSessionCookie(h);
}

/**
 * Pure: should a socket.io handshake be refused? Browsers always send Origin on WebSocket and polling
 * requests, and a cross-site page would connect with the victim's cookie: a present Origin must be
 * allowed. Without one (a script), only an explicit token authenticates, never the cookie alone.
 */
export function socketOriginRefused(h: OriginHeaders, hasToken: boolean, allowedOrigins: readonly string[]): boolean {
  if (h.origin !== undefined) return !originAllowed(h.origin, allowedOrigins, h.host);
  return !hasToken && !bearer(h) && hasSessionCookie(h);
}
