import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { oidcProvidersEnv, type OidcProviderConfig } from './oidc-providers.js';
import { importEnvShape, importSettings, importTestSettingProblem, parseEnv, type ImportSettings } from '@reelroom/contracts';

export { ConfigError } from '@reelroom/contracts';

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * TRUST_PROXY: the proxies whose X-Forwarded-For is believed, comma-separated: addresses, CIDR ranges or
 * proxy-addr's names (loopback, linklocal, uniquelocal). Empty: none, the peer address is the client.
 */
const trustList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => {
    try {
      proxyaddr.compile(list);
      return true;
    } catch {
      return false;
    }
  }, 'must be a comma-separated list of addresses, CIDR ranges, or loopback / linklocal / uniquelocal');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

// Every variable the API reads, with a default that works on a local machine.
// process.env is read here and nowhere else.
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .default('postgresql://reelroom:reelroom@127.0.0.1:5432/reelroom'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:-]+$/)
      .default('reelroom'),
    MEDIA_ROOT: z.string().min(1).default('./data/media'),
    WEB_DIST: z.string().min(1).default('./apps/web/dist'),
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(4 * 1024 ** 3),
    USER_QUOTA_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 ** 3),
    // Unfinished resumable uploads are deleted this long after creation (fractions allowed, for tests).
    UPLOAD_EXPIRY_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    UPLOAD_CLEANUP_INTERVAL_SEC: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 60),
    SESSION_TTL_DAYS: z.coerce.number().int().positive().max(365).default(30),
    // Unset: secure cookies (and HSTS) exactly when PUBLIC_URL is https. Set it to override either way.
    COOKIE_SECURE: bool.optional(),
    // Other origins (scheme://host[:port], comma-separated) whose pages may send cookie-authenticated
    // writes and open sockets, besides PUBLIC_URL's own (e.g. a second hostname of the same instance).
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const out: string[] = [];
        for (const item of v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)) {
          const origin = URL.canParse(item) ? new URL(item).origin : 'null';
          if (origin === 'null' || origin !== item.replace(/\/+$/, '')) {
            ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin (scheme://host[:port], nothing after it)` });
          } else out.push(origin);
        }
        return out;
      }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    // Wrong room PINs: failures allowed per (room, client address) and per room in the window (issue 3).
    PIN_FAILS_PER_IP: z.coerce.number().int().positive().default(5),
    PIN_FAILS_PER_ROOM: z.coerce.number().int().positive().default(20),
    PIN_FAIL_WINDOW_SEC: z.coerce.number().int().positive().default(600),
    // Whose X-Forwarded-For to believe (see trustList); empty: nobody's.
    TRUST_PROXY: trustList,
    // Password sign-in: wrong passwords allowed per account and per client address in the window; beyond,
    // a lockout of one window that doubles each time it is earned again (at most LOGIN_MAX_LOCKOUT_MIN).
    LOGIN_FAILS_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
    LOGIN_FAILS_PER_ADDRESS: z.coerce.number().int().positive().default(30),
    LOGIN_FAIL_WINDOW_SEC: z.coerce.number().int().positive().default(900),
    LOGIN_MAX_LOCKOUT_MIN: z.coerce
      .number()
      .int()
      .positive()
      .default(24 * 60),
    // New accounts and guests per client address per hour.
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(10),
    GUESTS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(30),
    // Password (and PIN) hashes computed at once per API process; more wait, and beyond the queue get 429.
    PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().positive().default(2),
    PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).default(256),
    // A kicked person (account, browser and address) cannot rejoin the room for this long (0: at once).
    KICK_DURATION_MIN: z.coerce.number().int().min(0).default(10),
    // A ban also refuses new people from the banned person's address for this long (addresses change hands).
    BAN_ADDRESS_HOURS: z.coerce.number().int().min(0).default(24),
    // Playback commands per person (token bucket, shared by their tabs and API processes).
    PLAYBACK_BURST: z.coerce.number().int().positive().default(10),
    PLAYBACK_PER_SEC: z.coerce.number().positive().default(2),
    // Chat token bucket, per user (Redis) and per connection (memory): burst, then this many per second.
    CHAT_BURST: z.coerce.number().int().positive().default(5),
    CHAT_PER_SEC: z.coerce.number().positive().default(1),
    // Flood guard: a socket sending more events than this in one second is disconnected.
    SOCKET_MAX_EVENTS_PER_SEC: z.coerce.number().int().positive().default(50),
    // RTMP ingest for live streams (issue 8): port (0 turns ingest off) and bind address.
    RTMP_PORT: z.coerce.number().int().min(0).max(65535).default(1935),
    RTMP_HOST: z.string().min(1).default('0.0.0.0'),
    // What the "Go live" panel shows as the OBS server URL; default rtmp://<the page's host>:<RTMP_PORT>/live.
    RTMP_PUBLIC_URL: z
      .string()
      .regex(/^rtmps?:\/\/[^\s/]+(:\d+)?\/live$/, 'must look like rtmp://host:1935/live')
      .optional(),
    // A dropped encoder (no clean unpublish) may come back this long and the live goes on; 0 ends at once.
    // At most 12 s: the live transcoder gives up on a silent input after 15 s.
    LIVE_RECONNECT_GRACE_SEC: z.coerce.number().min(0).max(12).default(10),
    // The address transcoders use to read a live from this API's RTMP server.
    RTMP_PULL_HOST: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name or IPv4 address')
      .default('127.0.0.1'),
    // Add a video by link (issue 13): the link policy, shared with the transcoder's import worker.
    ...importEnvShape,
    // Sign in with an existing account (issue 13): OpenID Connect providers, a JSON array (oidc-providers.ts).
    OIDC_PROVIDERS: oidcProvidersEnv,
    // Sign-ins started (redirects to a provider) per client address per hour.
    OIDC_STARTS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(60),
    // off: no password sign-in or registration; people sign in with a provider (guests still join rooms).
    PASSWORD_LOGIN: z.enum(['on', 'off']).default('on'),
  })
  .superRefine((e, ctx) => {
    if (e.PASSWORD_LOGIN === 'off' && e.OIDC_PROVIDERS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['PASSWORD_LOGIN'],
        message: 'off needs at least one provider in OIDC_PROVIDERS, or nobody could sign in',
      });
    }
    const problem = importTestSettingProblem(e.NODE_ENV, e.IMPORT_TEST_ALLOW_ADDRESSES);
    if (problem) ctx.addIssue({ code: 'custom', path: ['IMPORT_TEST_ALLOW_ADDRESSES'], message: problem });
  });

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string | undefined;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  mediaRoot: string;
  webDist: string;
  maxUploadBytes: number;
  userQuotaBytes: number;
  uploadExpiryMs: number;
  uploadCleanupIntervalMs: number;
  sessionTtlMs: number;
  cookieSecure: boolean;
  /** PUBLIC_URL's origin plus ALLOWED_ORIGINS: where cookie-authenticated writes and sockets may come from. */
  allowedOrigins: string[];
  logLevel: string;
  logFormat: 'json' | 'pretty';
  pinFailsPerIp: number;
  pinFailsPerRoom: number;
  pinFailWindowSec: number;
  chatBurst: number;
  chatPerSec: number;
  socketMaxEventsPerSec: number;
  trustProxy: string[];
  loginFailsPerAccount: number;
  loginFailsPerAddress: number;
  loginFailWindowSec: number;
  loginMaxLockoutSec: number;
  registrationsPerAddressPerHour: number;
  guestsPerAddressPerHour: number;
  passwordHashConcurrency: number;
  passwordHashQueue: number;
  kickDurationMs: number;
  banAddressMs: number;
  playbackBurst: number;
  playbackPerSec: number;
  rtmp: {
    /** 0: ingest off. */
    port: number;
    host: string;
    publicUrl: string | undefined;
    pullHost: string;
  };
  liveReconnectGraceMs: number;
  /** Imports by link: the API checks a link with these before queueing it. */
  import: ImportSettings;
  /** OpenID Connect sign-in (OIDC_PROVIDERS); empty: none. */
  oidcProviders: OidcProviderConfig[];
  oidcStartsPerAddressPerHour: number;
  /** PASSWORD_LOGIN: password sign-in and registration allowed. */
  passwordLogin: boolean;
}

/** Parses the environment once at start-up; throws listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const e = parseEnv(envSchema, env);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    mediaRoot: resolve(e.MEDIA_ROOT),
    webDist: resolve(e.WEB_DIST),
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    userQuotaBytes: e.USER_QUOTA_BYTES,
    uploadExpiryMs: Math.round(e.UPLOAD_EXPIRY_HOURS * 3600 * 1000),
    uploadCleanupIntervalMs: e.UPLOAD_CLEANUP_INTERVAL_SEC * 1000,
    sessionTtlMs: e.SESSION_TTL_DAYS * 24 * 3600 * 1000,
    cookieSecure: e.COOKIE_SECURE ?? e.PUBLIC_URL?.startsWith('https:') ?? false,
    allowedOrigins: [...new Set([...(e.PUBLIC_URL ? [new URL(e.PUBLIC_URL).origin] : []), ...e.ALLOWED_ORIGINS])],
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    pinFailsPerIp: e.PIN_FAILS_PER_IP,
    pinFailsPerRoom: e.PIN_FAILS_PER_ROOM,
    pinFailWindowSec: e.PIN_FAIL_WINDOW_SEC,
    chatBurst: e.CHAT_BURST,
    chatPerSec: e.CHAT_PER_SEC,
    socketMaxEventsPerSec: e.SOCKET_MAX_EVENTS_PER_SEC,
    trustProxy: e.TRUST_PROXY,
    loginFailsPerAccount: e.LOGIN_FAILS_PER_ACCOUNT,
    loginFailsPerAddress: e.LOGIN_FAILS_PER_ADDRESS,
    loginFailWindowSec: e.LOGIN_FAIL_WINDOW_SEC,
    loginMaxLockoutSec: e.LOGIN_MAX_LOCKOUT_MIN * 60,
    registrationsPerAddressPerHour: e.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    guestsPerAddressPerHour: e.GUESTS_PER_ADDRESS_PER_HOUR,
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
    passwordHashQueue: e.PASSWORD_HASH_QUEUE,
    kickDurationMs: e.KICK_DURATION_MIN * 60_000,
    banAddressMs: e.BAN_ADDRESS_HOURS * 3600_000,
    playbackBurst: e.PLAYBACK_BURST,
    playbackPerSec: e.PLAYBACK_PER_SEC,
    rtmp: { port: e.RTMP_PORT, host: e.RTMP_HOST, publicUrl: e.RTMP_PUBLIC_URL, pullHost: e.RTMP_PULL_HOST },
    liveReconnectGraceMs: Math.round(e.LIVE_RECONNECT_GRACE_SEC * 1000),
    import: importSettings(e),
    oidcProviders: e.OIDC_PROVIDERS,
    oidcStartsPerAddressPerHour: e.OIDC_STARTS_PER_ADDRESS_PER_HOUR,
    passwordLogin: e.PASSWORD_LOGIN === 'on',
  };
}
