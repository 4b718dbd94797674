import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { DEVICE_COOKIE } from '@reelroom/contracts';
import type { ClientInfo } from './auth.types.js';

const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
// Browsers keep a cookie at most 400 days.
const DEVICE_MAX_AGE_MS = 400 * 24 * 3600 * 1000;

/** The browser's device id from its cookie, or null when it has none (yet). */
export const knownDevice = (req: Request): string | null => {
  const cookies = req.cookies as Record<string, string | undefined> | undefined;
  const known = cookies?.[DEVICE_COOKIE];
  return known && DEVICE_ID.test(known) ? known : null;
};

/**
 * Where this request comes from, as a new session records it: the client address, the browser's device
 * id (DEVICE_COOKIE, a new one when missing or malformed) and its User-Agent. The device id is not a
 * credential: it lets a room ban hold against the same browser coming back as a new guest, and it names
 * browsers in the list of sessions. Clearing cookies or another browser defeats it (docs/SECURITY.md).
 */
export function clientInfoOf(req: Request, address: string): ClientInfo {
  const ua = req.headers['user-agent'];
  return {
    address,
    deviceId: knownDevice(req) ?? randomBytes(16).toString('base64url'),
    userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null,
  };
}

/** Gives the browser its device cookie when it came without it (after the session cookie is set). */
export function rememberDevice(req: Request, res: Response, client: ClientInfo, secure: boolean): void {
  if (!client.deviceId || knownDevice(req) === client.deviceId) return;
  res.cookie(DEVICE_COOKIE, client.deviceId, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: DEVICE_MAX_AGE_MS });
}
