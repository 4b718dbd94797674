import { describe, expect, it } from 'vitest';
import { SafeFetcher } from '../safe-fetcher.js';
import { fetchErrorOf } from '../test-support/fetch-error-of.js';
import { DnsHostResolver } from './host.resolver.js';

describe('DnsHostResolver (the system resolver)', () => {
  it('returns every address of a name', async () => {
    const answers = await new DnsHostResolver().resolve('localhost');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => (a.family === 4 && a.address.startsWith('127.')) || (a.family === 6 && a.address === '::1'))).toBe(true);
  });

  it('lets the default policy refuse a name that resolves to loopback', async () => {
    const e = await fetchErrorOf(new SafeFetcher().check('http://localhost/film.mp4'));
    expect(e).toMatchObject({ code: 'forbidden-address', userMessage: 'That address is on a private network.' });
  });
});
