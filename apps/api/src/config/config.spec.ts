import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('works with an empty environment, using local defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.maxUploadBytes).toBe(4 * 1024 ** 3);
    expect(c.mediaRoot.startsWith('/')).toBe(true);
    expect(c.cookieSecure).toBe(false);
  });

  it('parses numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '8080', MAX_UPLOAD_BYTES: '1000', COOKIE_SECURE: 'true', SESSION_TTL_DAYS: '2' });
    expect(c).toMatchObject({ port: 8080, maxUploadBytes: 1000, cookieSecure: true, sessionTtlMs: 2 * 86_400_000 });
  });

  it('lists every bad variable at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL']) expect(msg).toContain(name);
  });

  it('imports by link: usual web ports and no test allowance by default; lists of ports parsed', () => {
    expect(loadConfig({}).import).toMatchObject({ allowedPorts: [80, 443], testAllowAddresses: [], ytdlp: { enabled: false } });
    const c = loadConfig({ IMPORT_ALLOWED_PORTS: '443, 8443', IMPORT_IDLE_TIMEOUT_SEC: '1.5', IMPORT_YTDLP: '1' });
    expect(c.import).toMatchObject({ allowedPorts: [443, 8443], idleTimeoutMs: 1500, ytdlp: { enabled: true, path: 'yt-dlp' } });
    expect(() => loadConfig({ IMPORT_ALLOWED_PORTS: '80,http' })).toThrow(/IMPORT_ALLOWED_PORTS/);
  });

  it('refuses the test-only loopback allowance outside NODE_ENV=test', () => {
    expect(() => loadConfig({ IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1' })).toThrow(/IMPORT_TEST_ALLOW_ADDRESSES is for tests only/);
    expect(() => loadConfig({ NODE_ENV: 'production', IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'test', IMPORT_TEST_ALLOW_ADDRESSES: '127.0.0.1' }).import.testAllowAddresses).toEqual(['127.0.0.1']);
  });
});
