import { randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe: 22 characters. The room link is the capability, so it must not be guessable. */
export const newRoomId = () => randomBytes(16).toString('base64url');
