import { randomBytes } from 'node:crypto';

/** tus upload ids: 128 random bits as 32 lowercase hex characters, and nothing else reaches the store. */
export const UPLOAD_ID = /^[a-f0-9]{32}$/;

export const newUploadId = (): string => randomBytes(16).toString('hex');

export const isUploadId = (s: string): boolean => UPLOAD_ID.test(s);
