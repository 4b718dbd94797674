import { describe, expect, it } from 'vitest';
import { takeToken, TokenBuckets } from './token-bucket.js';

describe('takeToken', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    let t = 1_000;
    const b = new TokenBuckets<string>(5, 1, () => t);
    for (let i = 0; i < 5; i++) expect(b.take('s').ok).toBe(true);
    expect(b.take('s')).toEqual({ ok: false, retryAfterMs: 1000 });
    t += 400;
    expect(b.take('s')).toEqual({ ok: false, retryAfterMs: 600 });
    t += 600;
    expect(b.take('s').ok).toBe(true);
    expect(b.take('s').ok).toBe(false);
  });

  it('refills at the rate but never above the burst', () => {
    const first = takeToken(undefined, 0, 5, 1);
    expect(first.state.tokens).toBe(4);
    const later = takeToken({ tokens: 0, at: 0 }, 60_000, 5, 1);
    expect(later).toMatchObject({ ok: true, state: { tokens: 4 } });
  });

  it('keeps buckets apart per key', () => {
    const b = new TokenBuckets<string>(1, 1, () => 0);
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a').ok).toBe(false);
    expect(b.take('b').ok).toBe(true);
  });
});
