import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@reelroom/contracts';
import { tokenFromRequest } from './auth.guard.js';

describe('tokenFromRequest', () => {
  it('prefers the bearer token, then the parsed cookie, then the raw cookie header', () => {
    expect(tokenFromRequest({ authorization: 'Bearer abc', cookie: `${SESSION_COOKIE}=zzz` })).toBe('abc');
    expect(tokenFromRequest({}, { [SESSION_COOKIE]: 'parsed' })).toBe('parsed');
    expect(tokenFromRequest({ cookie: `a=1; ${SESSION_COOKIE}=t%3Dx; b=2` })).toBe('t=x');
  });

  it('returns undefined without credentials or with another scheme', () => {
    expect(tokenFromRequest({})).toBeUndefined();
    expect(tokenFromRequest({ authorization: 'Basic Zm9vOmJhcg==' })).toBeUndefined();
    expect(tokenFromRequest({ cookie: 'other=1' })).toBeUndefined();
  });
});
