import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a casting token allows: reading one media's files as one user, until `exp` (Unix seconds). */
export interface CastClaims {
  mediaId: string;
  userId: string;
  exp: number;
}

/** The path segment that introduces a token: `/media/<mediaId>/t/<token>/master.m3u8`. */
export const CAST_PATH = 't';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function mac(payload: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(`reelroom-cast.v1.${payload}`).digest();
}

/** `<payload>.<HMAC-SHA256>`, both base64url: URL-path safe, no padding. */
export function signCastToken(claims: CastClaims, secret: Buffer): string {
  const payload = b64url(JSON.stringify({ m: claims.mediaId, u: claims.userId, e: claims.exp }));
  return `${payload}.${b64url(mac(payload, secret))}`;
}

/**
 * The claims of a token this server signed that has not expired; null for anything else (tampered,
 * truncated, signed with another secret, expired). The MAC is compared in constant time before the
 * payload is parsed.
 */
export function verifyCastToken(token: string, secret: Buffer, nowSec: number): CastClaims | null {
  if (token.length > 512) return null;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) return null;
  const given = Buffer.from(m[2], 'base64url');
  const expected = mac(m[1], secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { m: mediaId, u: userId, e: exp } = parsed as Record<string, unknown>;
  if (typeof mediaId !== 'string' || typeof userId !== 'string' || typeof exp !== 'number') return null;
  if (!(exp > nowSec)) return null;
  return { mediaId, userId, exp };
}
