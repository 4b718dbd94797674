import { describe, expect, it } from 'vitest';
import { apiErrorFromBody, formatWait, parseRetryAfter } from './api-error';

describe('waits the server asked for', () => {
  it('reads Retry-After seconds and keeps them on the error', () => {
    expect(parseRetryAfter('227')).toBe(227);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeNull();
    expect(apiErrorFromBody(429, { message: 'Too many attempts.' }, '', 227).retryAfterSec).toBe(227);
  });

  it('says the wait as people do', () => {
    expect(formatWait(227)).toBe('3 min 47 s');
    expect(formatWait(45)).toBe('45 s');
    expect(formatWait(120)).toBe('2 min');
    expect(formatWait(0)).toBe('1 s');
  });
});
