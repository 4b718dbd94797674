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

  it('turns secure cookies on for an https PUBLIC_URL unless COOKIE_SECURE says otherwise', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://watch.example' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://watch.example' }).cookieSecure).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://watch.example', COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(loadConfig({ COOKIE_SECURE: '1' }).cookieSecure).toBe(true);
  });

  it("allows PUBLIC_URL's origin and ALLOWED_ORIGINS, and refuses anything that is not an origin", () => {
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    expect(
      loadConfig({ PUBLIC_URL: 'https://watch.example/app/', ALLOWED_ORIGINS: 'http://localhost:5173, https://b.example/' }).allowedOrigins,
    ).toEqual(['https://watch.example', 'http://localhost:5173', 'https://b.example']);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'evil' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('delivers media through the API by default; signed URLs only on S3, with a TTL SigV4 allows and an http(s) base', () => {
    expect(loadConfig({}).mediaDelivery).toEqual({ mode: 'api' });
    const s3 = { STORAGE: 's3', S3_BUCKET: 'media' };
    expect(loadConfig({ ...s3, MEDIA_DELIVERY: 'signed' }).mediaDelivery).toEqual({
      mode: 'signed',
      publicBaseUrl: undefined,
      ttlSec: 600,
    });
    expect(
      loadConfig({ ...s3, MEDIA_DELIVERY: 'signed', MEDIA_PUBLIC_BASE_URL: 'https://cdn.example/media', MEDIA_SIGNED_URL_TTL_SEC: '120' })
        .mediaDelivery,
    ).toEqual({ mode: 'signed', publicBaseUrl: 'https://cdn.example/media', ttlSec: 120 });
    expect(() => loadConfig({ MEDIA_DELIVERY: 'signed' })).toThrow(/MEDIA_DELIVERY.*STORAGE=s3/);
    expect(() => loadConfig({ ...s3, MEDIA_DELIVERY: 'signed', MEDIA_SIGNED_URL_TTL_SEC: '604801' })).toThrow(/MEDIA_SIGNED_URL_TTL_SEC/);
    expect(() => loadConfig({ ...s3, MEDIA_DELIVERY: 'signed', MEDIA_SIGNED_URL_TTL_SEC: '30' })).toThrow(/MEDIA_SIGNED_URL_TTL_SEC/);
    expect(() => loadConfig({ ...s3, MEDIA_PUBLIC_BASE_URL: 'ftp://cdn.example' })).toThrow(/MEDIA_PUBLIC_BASE_URL/);
    expect(() => loadConfig({ ...s3, MEDIA_PUBLIC_BASE_URL: 'https://cdn.example/?a=1' })).toThrow(/MEDIA_PUBLIC_BASE_URL/);
  });

  it('reads MEDIA_CORS_ORIGINS as origins, a casting secret of 32+ characters (random when unset) and the casting TTL', () => {
    const c = loadConfig({ MEDIA_CORS_ORIGINS: 'https://receiver.example, https://receiver.example/' });
    expect(c.mediaCorsOrigins).toEqual(['https://receiver.example']);
    expect(loadConfig({}).mediaCorsOrigins).toEqual([]);
    expect(() => loadConfig({ MEDIA_CORS_ORIGINS: '*' })).toThrow(/MEDIA_CORS_ORIGINS/);
    expect(c.mediaTokenSecret).toHaveLength(32);
    expect(loadConfig({}).mediaTokenSecret.equals(c.mediaTokenSecret)).toBe(false);
    expect(loadConfig({ MEDIA_TOKEN_SECRET: 'x'.repeat(40) }).mediaTokenSecret.toString()).toBe('x'.repeat(40));
    expect(() => loadConfig({ MEDIA_TOKEN_SECRET: 'short' })).toThrow(/MEDIA_TOKEN_SECRET/);
    expect([c.castTokenTtlSec, loadConfig({ CAST_TOKEN_TTL_SEC: '60' }).castTokenTtlSec]).toEqual([900, 60]);
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

  it('trusts no proxy by default, and refuses a TRUST_PROXY entry that is not an address, range or known name', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ KICK_DURATION_MIN: '0' }).kickDurationMs).toBe(0);
  });

  it('reads presence liveness: a 5 s heartbeat, a 15 s expiry, and refuses an expiry under two heartbeats', () => {
    expect(loadConfig({})).toMatchObject({ presenceHeartbeatMs: 5_000, presenceExpiryMs: 15_000 });
    expect(loadConfig({ PRESENCE_HEARTBEAT_MS: '300', PRESENCE_EXPIRY_MS: '600' })).toMatchObject({
      presenceHeartbeatMs: 300,
      presenceExpiryMs: 600,
    });
    expect(() => loadConfig({ PRESENCE_HEARTBEAT_MS: '5000', PRESENCE_EXPIRY_MS: '9000' })).toThrow(/PRESENCE_EXPIRY_MS/);
    expect(() => loadConfig({ PRESENCE_HEARTBEAT_MS: '10' })).toThrow(/PRESENCE_HEARTBEAT_MS/);
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

  it('cameras: 6 per room and no ICE servers by default; ICE_SERVERS must be valid JSON of stun/turn servers', () => {
    expect(loadConfig({}).cameras).toEqual({ limit: 6, iceServers: [] });
    const turn = [{ urls: ['turn:turn.example.org:3478?transport=udp'], username: 'reelroom', credential: 's3cret' }];
    expect(loadConfig({ CAMERA_LIMIT: '0', ICE_SERVERS: JSON.stringify(turn) }).cameras).toEqual({ limit: 0, iceServers: turn });
    expect(() => loadConfig({ ICE_SERVERS: 'turn:turn.example.org' })).toThrow(/ICE_SERVERS: must be JSON/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls": "http://turn.example.org"}]' })).toThrow(/ICE_SERVERS: 0.urls: must be a stun:/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls": "stun:a", "extra": 1}]' })).toThrow(/ICE_SERVERS/);
    expect(() => loadConfig({ CAMERA_LIMIT: '40' })).toThrow(/CAMERA_LIMIT/);
  });

  it('reads OIDC_PROVIDERS (none by default) and always asks for openid and email', () => {
    expect(loadConfig({})).toMatchObject({ oidcProviders: [], passwordLogin: true });
    const one = { id: 'keycloak', name: 'Company SSO', issuer: 'https://sso.example/realms/x', clientId: 'rr', clientSecret: 'shh' };
    expect(loadConfig({ OIDC_PROVIDERS: JSON.stringify([one]) }).oidcProviders).toEqual([{ ...one, scope: 'openid email profile' }]);
    expect(loadConfig({ OIDC_PROVIDERS: JSON.stringify([{ ...one, scope: 'groups' }]) }).oidcProviders[0].scope).toBe(
      'openid email groups',
    );
    // Plain http only on loopback: a provider on this machine (development, tests).
    expect(loadConfig({ OIDC_PROVIDERS: JSON.stringify([{ ...one, issuer: 'http://127.0.0.1:9000' }]) }).oidcProviders).toHaveLength(1);
    expect(loadConfig({ OIDC_PROVIDERS: JSON.stringify([{ ...one, issuer: 'http://localhost:9000' }]) }).oidcProviders).toHaveLength(1);
  });

  it('refuses a bad OIDC_PROVIDERS with a sentence naming the entry and field, never the secret', () => {
    const one = { id: 'gl', name: 'GitLab', issuer: 'https://gitlab.example', clientId: 'rr', clientSecret: 'very-secret-value' };
    const problem = (v: string) => {
      try {
        loadConfig({ OIDC_PROVIDERS: v });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(problem('{not json')).toMatch(/OIDC_PROVIDERS: must be a JSON array .* \(it is not valid JSON\)/);
    expect(problem(JSON.stringify([{ ...one, issuer: 'http://sso.example' }]))).toMatch(
      /OIDC_PROVIDERS: entry 0\.issuer: must be an https URL/,
    );
    expect(problem(JSON.stringify([{ ...one, id: 'Has Space' }]))).toMatch(/entry 0\.id/);
    expect(problem(JSON.stringify([one, { ...one, clientSecret: '' }]))).toMatch(/entry 1\.clientSecret/);
    expect(problem(JSON.stringify([one, one]))).toContain('the id "gl" is used twice');
    expect(problem(JSON.stringify([{ ...one, clientSecret: 'x'.repeat(600) }]))).not.toContain('xxxxxxxx');
    expect(problem(JSON.stringify([one, one]))).not.toContain('very-secret-value');
  });

  it('PASSWORD_LOGIN=off needs a provider, or nobody could sign in', () => {
    expect(() => loadConfig({ PASSWORD_LOGIN: 'off' })).toThrow(/PASSWORD_LOGIN: off needs at least one provider in OIDC_PROVIDERS/);
    const providers = JSON.stringify([{ id: 'a', name: 'A', issuer: 'https://a.example', clientId: 'c', clientSecret: 's' }]);
    expect(loadConfig({ PASSWORD_LOGIN: 'off', OIDC_PROVIDERS: providers }).passwordLogin).toBe(false);
    expect(() => loadConfig({ PASSWORD_LOGIN: 'no' })).toThrow(/PASSWORD_LOGIN/);
  });

  it('reads SMTP_URL (no mail when unset or empty), which needs PUBLIC_URL for the links in mails', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: 'Reelroom <no-reply@localhost>' });
    expect(loadConfig({ SMTP_URL: '' }).mail.smtpUrl).toBeUndefined();
    const on = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example:465', PUBLIC_URL: 'https://watch.example', MAIL_FROM: 'R <r@x.example>' });
    expect(on.mail).toEqual({ smtpUrl: 'smtps://u:p@mail.example:465', from: 'R <r@x.example>' });
    expect(on.passwordReset).toEqual({ ttlMs: 30 * 60_000, perEmailPerHour: 3, perAddressPerHour: 20 });
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example' })).toThrow(/SMTP_URL: needs PUBLIC_URL/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example', PUBLIC_URL: 'https://watch.example' })).toThrow(/SMTP_URL/);
  });
});
