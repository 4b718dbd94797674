import { describe, expect, it } from 'vitest';
import { signCastToken, verifyCastToken } from './cast-token.js';

const secret = Buffer.alloc(32, 7);
const claims = { mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', userId: 'u1', exp: 2_000 };

describe('casting tokens', () => {
  it('round-trips the claims of a token signed with our secret, until it expires', () => {
    const token = signCastToken(claims, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyCastToken(token, secret, 1_999)).toEqual(claims);
    expect(verifyCastToken(token, secret, 2_000)).toBeNull();
  });

  it('refuses a tampered payload or signature, another secret and garbage', () => {
    const token = signCastToken(claims, secret);
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ m: claims.mediaId, u: 'u1', e: 9_999_999 })).toString('base64url');
    expect(verifyCastToken(`${forged}.${sig}`, secret, 1_000)).toBeNull();
    expect(verifyCastToken(`${payload}.${sig.slice(0, -2)}AA`, secret, 1_000)).toBeNull();
    expect(verifyCastToken(token, Buffer.alloc(32, 8), 1_000)).toBeNull();
    for (const bad of ['', '.', 'abc', `${payload}.`, `${payload}.${sig}.x`, 'a'.repeat(600)])
      expect(verifyCastToken(bad, secret, 1_000), bad).toBeNull();
  });
});
