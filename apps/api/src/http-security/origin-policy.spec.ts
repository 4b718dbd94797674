import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@reelroom/contracts';
import { csrfRefused, originAllowed, socketOriginRefused } from './origin-policy.js';
import { BULL_BOARD_CSP, securityHeaders } from './security-headers.js';

const cookie = `${SESSION_COOKIE}=abc`;
const PUBLIC = ['https://watch.example'];

describe('origin policy', () => {
  it('allows the configured origins only; with none configured, a page of the same host', () => {
    expect(originAllowed('https://watch.example', PUBLIC, 'watch.example')).toBe(true);
    expect(originAllowed('https://evil.example', PUBLIC, 'evil.example')).toBe(false);
    expect(originAllowed('http://watch.example:8080', PUBLIC, 'watch.example:8080')).toBe(false);
    expect(originAllowed('http://127.0.0.1:3000', [], '127.0.0.1:3000')).toBe(true);
    expect(originAllowed('http://127.0.0.1:3001', [], '127.0.0.1:3000')).toBe(false);
    expect(originAllowed('null', [], '127.0.0.1:3000')).toBe(false);
  });

  it('refuses cross-site cookie writes by Origin or Referer, and cookie writes with neither', () => {
    expect(csrfRefused('POST', { origin: 'http://evil.example', cookie, host: 'a:1' }, [])).toBe(true);
    expect(csrfRefused('POST', { referer: 'http://evil.example/x', cookie, host: 'a:1' }, [])).toBe(true);
    expect(csrfRefused('PATCH', { origin: 'null', cookie, host: 'a:1' }, [])).toBe(true);
    expect(csrfRefused('DELETE', { cookie, host: 'a:1' }, [])).toBe(true);
    expect(csrfRefused('POST', { origin: 'http://a:1', cookie, host: 'a:1' }, [])).toBe(false);
    expect(csrfRefused('POST', { referer: 'https://watch.example/rooms/x', cookie }, PUBLIC)).toBe(false);
  });

  it('leaves reads, Bearer-token requests and cookie-less scripts to authentication', () => {
    expect(csrfRefused('GET', { origin: 'http://evil.example', cookie }, PUBLIC)).toBe(false);
    expect(csrfRefused('POST', { origin: 'http://evil.example', authorization: 'Bearer t', cookie }, PUBLIC)).toBe(false);
    expect(csrfRefused('POST', {}, PUBLIC)).toBe(false);
  });

  it('refuses a socket handshake from another origin, or with only a cookie and no Origin', () => {
    expect(socketOriginRefused({ origin: 'http://evil.example', host: 'a:1' }, true, [])).toBe(true);
    expect(socketOriginRefused({ origin: 'http://a:1', host: 'a:1', cookie }, false, [])).toBe(false);
    expect(socketOriginRefused({ cookie }, false, PUBLIC)).toBe(true);
    expect(socketOriginRefused({ cookie }, true, PUBLIC)).toBe(false);
  });
});

describe('security headers', () => {
  it('sends HSTS only when cookies are secure, and always the CSP with frame-ancestors none', () => {
    expect(securityHeaders(false)['Strict-Transport-Security']).toBeUndefined();
    expect(securityHeaders(true)['Strict-Transport-Security']).toMatch(/max-age=\d+/);
    expect(securityHeaders(false)['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    // Scripts: ours, and Google's CDN for the Cast sender SDK (loaded on pressing Cast); Bull Board ours only.
    expect(securityHeaders(false)['Content-Security-Policy']).toContain("script-src 'self' https://www.gstatic.com;");
    expect(BULL_BOARD_CSP).toContain("script-src 'self';");
  });

  it('lets the player fetch, play and show images from the signed media origin, and nothing else from it', () => {
    const csp = securityHeaders(false, 'https://media-cdn.example')['Content-Security-Policy'];
    expect(csp).toContain("img-src 'self' data: blob: https://media-cdn.example;");
    expect(csp).toContain("media-src 'self' blob: https://media-cdn.example;");
    expect(csp).toContain("connect-src 'self' https://media-cdn.example;");
    expect(csp.match(/media-cdn/g)).toHaveLength(3);
    expect(securityHeaders(false)['Content-Security-Policy']).not.toContain('media-cdn');
    expect(securityHeaders(false)['Content-Security-Policy']).toContain("connect-src 'self';");
  });
});
