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

  it('reads the live settings: RTMP on 1935 by default, 0 turns it off, a grace of at most 12 s', () => {
    expect(loadConfig({})).toMatchObject({
      rtmp: { port: 1935, host: '0.0.0.0', publicUrl: undefined, pullHost: '127.0.0.1' },
      liveReconnectGraceMs: 10_000,
    });
    expect(loadConfig({ RTMP_PORT: '0', LIVE_RECONNECT_GRACE_SEC: '0' })).toMatchObject({ rtmp: { port: 0 }, liveReconnectGraceMs: 0 });
    expect(loadConfig({ RTMP_PUBLIC_URL: 'rtmps://live.example:443/live' }).rtmp.publicUrl).toBe('rtmps://live.example:443/live');
    expect(() => loadConfig({ LIVE_RECONNECT_GRACE_SEC: '30' })).toThrow(/LIVE_RECONNECT_GRACE_SEC/);
    expect(() => loadConfig({ RTMP_PUBLIC_URL: 'http://live.example/live' })).toThrow(/RTMP_PUBLIC_URL/);
    expect(() => loadConfig({ RTMP_PULL_HOST: 'a b' })).toThrow(/RTMP_PULL_HOST/);
  });
});
