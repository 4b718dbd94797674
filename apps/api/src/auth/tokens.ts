import { createHash, randomBytes } from 'node:crypto';

/** 256-bit opaque token; only its SHA-256 is stored, so a database leak yields no usable sessions. */
export const newSessionToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
