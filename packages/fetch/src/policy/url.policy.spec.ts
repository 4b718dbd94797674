import { describe, expect, it } from 'vitest';
import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import { checkUrl, effectivePort, bareHostname } from './url.policy.js';

const policy = { allowedPorts: [80, 443], maxUrlLength: 200 };

function refusal(input: string, p = policy): FetchError {
  try {
    checkUrl(input, p);
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error(`accepted ${input}`);
}

describe('checkUrl', () => {
  it('accepts http and https on their usual ports and drops the fragment', () => {
    expect(checkUrl('https://cdn.example.com/a/film.mp4?x=1#t=10', policy).href).toBe('https://cdn.example.com/a/film.mp4?x=1');
    expect(checkUrl('http://example.com:80/f.webm', policy).href).toBe('http://example.com/f.webm');
    expect(checkUrl('http://example.com:443/f.webm', policy).port).toBe('443');
  });

  it.each([
    'ftp://example.com/f.mp4',
    'file:///etc/passwd',
    'data:video/mp4;base64,AAAA',
    'gopher://example.com/',
    'javascript:alert(1)',
    'ws://example.com/',
  ])('refuses the scheme of %s', (url) => {
    const e = refusal(url);
    expect(e.code).toBe('unsupported-scheme');
    expect(e.userMessage).toBe('Only http and https links can be added.');
  });

  it.each(['https://user:secret@example.com/f.mp4', 'https://user@example.com/f.mp4', 'https://:pw@example.com/f.mp4'])(
    'refuses credentials in %s',
    (url) => {
      const e = refusal(url);
      expect(e.code).toBe('credentials-in-url');
      expect(e.userMessage).toBe(FETCH_MESSAGES.credentialsInUrl);
    },
  );

  it.each(['http://example.com:8080/f.mp4', 'https://example.com:22/', 'http://example.com:6379/', 'https://example.com:0/'])(
    'refuses the port of %s',
    (url) => {
      const e = refusal(url);
      expect(e.code).toBe('port-not-allowed');
      expect(e.userMessage).toBe('Only links on the usual web ports can be added (ports 80 and 443).');
    },
  );

  it('accepts a configured port', () => {
    expect(checkUrl('http://example.com:8080/f.mp4', { ...policy, allowedPorts: [80, 443, 8080] }).port).toBe('8080');
  });

  it('refuses a link longer than the limit, before and after normalisation', () => {
    expect(refusal(`https://example.com/${'a'.repeat(200)}`).code).toBe('url-too-long');
    // 60 spaces become 180 characters of %20.
    expect(refusal(`https://example.com/${' '.repeat(60)}x`).code).toBe('url-too-long');
    expect(refusal(`https://example.com/${'a'.repeat(200)}`).userMessage).toBe('That link is too long (more than 200 characters).');
  });

  it.each(['', 'not a url', 'http://', 'https://exa mple.com/', 'http://[::1/'])('refuses %j as not a link', (url) => {
    expect(refusal(url).code).toBe('invalid-url');
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1'],
    ['http://169.254.169.254./', '169.254.169.254'],
  ])('normalises the odd IP notation %s to %s for the address policy', (url, host) => {
    expect(bareHostname(checkUrl(url, policy))).toBe(host);
  });

  it('knows the default ports', () => {
    expect(effectivePort(new URL('http://a/'))).toBe(80);
    expect(effectivePort(new URL('https://a/'))).toBe(443);
    expect(effectivePort(new URL('https://a:8443/'))).toBe(8443);
  });
});
