import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import {
  iceServersSchema,
  importEnvShape,
  importSettings,
  importTestSettingProblem,
  parseEnv,
  type IceServer,
  type ImportSettings,
} from '@reelroom/contracts';
import { storageEnvShape, storageSettings, storageSettingsProblems, type StorageSettings } from '@reelroom/s3';
import { oidcProvidersEnv, type OidcProviderConfig } from './oidc-providers.js';

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

/** Comma-separated origins (scheme://host[:port], nothing after it). */
const originList = z
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
  });

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
    ALLOWED_ORIGINS: originList,
    // Other origins whose players may fetch /media/ files (CORS, without cookies: they play through a
    // casting URL, see CAST_TOKEN_TTL_SEC). A Chromecast receiver, another site's player.
    MEDIA_CORS_ORIGINS: originList,
    // Secret for signing casting URLs (HMAC-SHA256), at least 32 characters. Unset: a random one per
    // process start, so casting URLs die with a restart and several API instances must share one.
    MEDIA_TOKEN_SECRET: z.string().min(32).optional(),
    // How long a casting URL may start playback; a video's own duration is added so a cast can finish.
    CAST_TOKEN_TTL_SEC: z.coerce.number().int().positive().max(86_400).default(900),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    // SIGTERM: readiness answers 503 for this long before the process stops taking connections and moves
    // its sockets, so a load balancer (Kubernetes endpoints, a health-checking proxy) stops routing to it first.
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(5000),
    // Presence liveness (issue 10): each API process refreshes its heartbeat this often; a process silent
    // for PRESENCE_EXPIRY_MS is taken for dead and its sockets are counted out of every room by the others.
    PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    PRESENCE_EXPIRY_MS: z.coerce.number().int().min(300).max(600_000).default(15_000),
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
    // Going live from the browser: the relay's ffmpeg (recorder chunks -> RTMP to our own ingest). Looked
    // up on PATH when unset. Browser go-live is on whenever RTMP ingest is.
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    // A browser publisher that sends nothing for this long (a frozen tab, a dead link) is told so and dropped.
    BROWSER_LIVE_STALL_SEC: z.coerce.number().min(2).max(60).default(12),
    // Going live from the browser over WebRTC (WHIP, the page's first choice; it falls back to the recorder
    // socket where WebRTC cannot connect). Browsers must reach this process over UDP: WHIP_UDP_PORTS
    // (e.g. 40000-40099) fixes the ports to open or map, WHIP_HOST_ADDRESSES adds addresses to offer them
    // at (a public IP in front of a NAT or a container). Each live from the browser takes a port there.
    WHIP_ENABLED: bool.default(true),
    WHIP_UDP_PORTS: z
      .string()
      .regex(/^\d{4,5}-\d{4,5}$/, 'must look like 40000-40099')
      .optional()
      .transform((v) => v?.split('-').map(Number) as [number, number] | undefined)
      .refine(
        (r) => r === undefined || (r[0] >= 1024 && r[0] < r[1] && r[1] <= 65535),
        'must be a range of ports from 1024 to 65535, low-high',
      ),
    WHIP_HOST_ADDRESSES: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      )
      .refine((a) => a.every((x) => isIP(x) !== 0), 'must be IP addresses, comma-separated'),
    // Lives from the browser over WHIP that one API process runs at once (each is a relay ffmpeg).
    WHIP_MAX_SESSIONS: z.coerce.number().int().min(1).max(100).default(8),
    // The address transcoders use to read a live from this API's RTMP server.
    RTMP_PULL_HOST: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name or IPv4 address')
      .default('127.0.0.1'),
    // Cameras beside the player (issue 13): call participants per room (a WebRTC mesh: each one sends to
    // every other, so keep it small); 0 turns cameras off.
    CAMERA_LIMIT: z.coerce.number().int().min(0).max(16).default(6),
    // STUN/TURN servers handed to browsers, as RTCPeerConnection's iceServers JSON. Empty: host candidates
    // only, which connects people on one network (and loopback); people behind NAT need a TURN server.
    ICE_SERVERS: z
      .string()
      .default('[]')
      .transform((v, ctx) => {
        let json: unknown;
        try {
          json = JSON.parse(v);
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: 'must be JSON: [{"urls": "turn:turn.example.org:3478", "username": "...", "credential": "..."}]',
          });
          return z.NEVER;
        }
        const parsed = iceServersSchema.safeParse(json);
        if (!parsed.success) {
          for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${i.path.join('.') || 'value'}: ${i.message}` });
          return z.NEVER;
        }
        return parsed.data;
      }),
    // Add a video by link (issue 13): the link policy, shared with the transcoder's import worker.
    ...importEnvShape,
    // Media storage (issue 10): local disk under MEDIA_ROOT, or an S3-compatible bucket (shared with the transcoder).
    ...storageEnvShape,
    // Who sends playback bytes (issue 10). api: this server streams every file. signed (STORAGE=s3 only): it
    // still checks membership on every request and serves playlists, but answers a segment, init, poster or
    // storyboard image with a 302 to a short-lived presigned bucket URL (hls/media-delivery.ts, docs/OPERATIONS.md).
    MEDIA_DELIVERY: z.enum(['api', 'signed']).default('api'),
    // Where browsers fetch those URLs when it is not S3_ENDPOINT: a CDN or proxy in front of the bucket that
    // passes path and query through. Its scheme, host, port (and path prefix) replace the signed URL's.
    MEDIA_PUBLIC_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .refine((v) => v === undefined || (!new URL(v).search && !new URL(v).hash), 'must be an http(s) URL without ? or #'),
    // How long a signed URL works. URLs are signed at the start of a window of half this, so they repeat
    // within it (a CDN can cache them) and every URL handed out still has at least half of it to run.
    // SigV4 allows at most 7 days.
    MEDIA_SIGNED_URL_TTL_SEC: z.coerce.number().int().min(60).max(604_800).default(600),
    // Operators (issue 10). Unset: GET /metrics is open (keep it off the public internet, docs/SECURITY.md);
    // set: scrapes must send Authorization: Bearer <METRICS_TOKEN>.
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // Accounts that are administrators besides the first account ever registered (comma-separated emails).
    ADMIN_EMAILS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .refine((list) => list.every((e) => z.email().safeParse(e).success), 'must be a comma-separated list of email addresses'),
    // Sign in with an existing account (issue 13): OpenID Connect providers, a JSON array (oidc-providers.ts).
    OIDC_PROVIDERS: oidcProvidersEnv,
    // Sign-ins started (redirects to a provider) per client address per hour.
    OIDC_STARTS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(60),
    // off: no password sign-in or registration; people sign in with a provider (guests still join rooms).
    PASSWORD_LOGIN: z.enum(['on', 'off']).default('on'),
    // Mail for "Forgot password?" (issue 12): smtp://user:pass@host:587 or smtps://...:465. Unset (or
    // empty): no mail is sent, and the sign-in page says to ask an administrator for a reset link.
    SMTP_URL: z
      .string()
      .optional()
      .transform((v) => v?.trim() || undefined)
      .refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v), 'must be an smtp:// or smtps:// URL'),
    // The sender of the mail the server sends.
    MAIL_FROM: z.string().min(3).default('Reelroom <no-reply@localhost>'),
    // How long a password reset link works (fractions allowed).
    PASSWORD_RESET_TTL_MIN: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(30),
    // "Forgot password?" requests per email address and per client address per hour.
    PASSWORD_RESETS_PER_EMAIL_PER_HOUR: z.coerce.number().int().positive().default(3),
    PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(20),
  })
  .superRefine((e, ctx) => {
    // Two missed heartbeats at least: one slow Redis round trip must not make a live process look dead.
    if (e.PRESENCE_EXPIRY_MS < 2 * e.PRESENCE_HEARTBEAT_MS) {
      ctx.addIssue({ code: 'custom', path: ['PRESENCE_EXPIRY_MS'], message: 'must be at least twice PRESENCE_HEARTBEAT_MS' });
    }
    if (e.PASSWORD_LOGIN === 'off' && e.OIDC_PROVIDERS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['PASSWORD_LOGIN'],
        message: 'off needs at least one provider in OIDC_PROVIDERS, or nobody could sign in',
      });
    }
    // The link in a reset mail must not be built from the request's Host header (anyone can send one).
    if (e.SMTP_URL && !e.PUBLIC_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'needs PUBLIC_URL, the address the reset links in mails point to' });
    }
    const problem = importTestSettingProblem(e.NODE_ENV, e.IMPORT_TEST_ALLOW_ADDRESSES);
    if (problem) ctx.addIssue({ code: 'custom', path: ['IMPORT_TEST_ALLOW_ADDRESSES'], message: problem });
    for (const [path, message] of storageSettingsProblems(e)) ctx.addIssue({ code: 'custom', path: [path], message });
    if (e.MEDIA_DELIVERY === 'signed' && e.STORAGE !== 's3') {
      ctx.addIssue({ code: 'custom', path: ['MEDIA_DELIVERY'], message: 'signed needs STORAGE=s3 (URLs are presigned bucket URLs)' });
    }
  });

export type MediaDeliverySettings =
  | { mode: 'api' }
  /** publicBaseUrl undefined: the bucket endpoint's own URLs. */
  | { mode: 'signed'; publicBaseUrl: string | undefined; ttlSec: number };

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
  /** Origins that get CORS headers on /media/ files. */
  mediaCorsOrigins: string[];
  /** HMAC key of casting URLs. */
  mediaTokenSecret: Buffer;
  castTokenTtlSec: number;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  /** SHUTDOWN_DELAY_MS: readiness 503 this long before the listener closes and sockets move (graceful-shutdown.ts). */
  shutdownDelayMs: number;
  /** PRESENCE_HEARTBEAT_MS / PRESENCE_EXPIRY_MS: presence liveness of API processes (presence-liveness.ts). */
  presenceHeartbeatMs: number;
  presenceExpiryMs: number;
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
  /** The ffmpeg the browser go-live relay runs. */
  ffmpegPath: string;
  browserLiveStallMs: number;
  /** WHIP_*: going live from the browser over WebRTC. */
  whip: { enabled: boolean; portRange: [number, number] | undefined; hostAddresses: string[]; maxSessions: number };
  /** Imports by link: the API checks a link with these before queueing it. */
  import: ImportSettings;
  /** STORAGE: local disk (MEDIA_ROOT) or an S3-compatible bucket; with S3, MEDIA_ROOT is scratch space. */
  storage: StorageSettings;
  /** MEDIA_DELIVERY: playback bytes through this server, or by redirect to presigned bucket URLs. */
  mediaDelivery: MediaDeliverySettings;
  cameras: {
    /** Call participants per room; 0: cameras off. */
    limit: number;
    iceServers: IceServer[];
  };
  /** METRICS_TOKEN: when set, GET /metrics wants it as a bearer token. */
  metricsToken: string | undefined;
  /** ADMIN_EMAILS, lower-cased: administrators besides the first registered account. */
  adminEmails: string[];
  /** OpenID Connect sign-in (OIDC_PROVIDERS); empty: none. */
  oidcProviders: OidcProviderConfig[];
  oidcStartsPerAddressPerHour: number;
  /** PASSWORD_LOGIN: password sign-in and registration allowed. */
  passwordLogin: boolean;
  /** SMTP_URL and MAIL_FROM; smtpUrl undefined: no mail (reset links come from an administrator). */
  mail: { smtpUrl: string | undefined; from: string };
  passwordReset: { ttlMs: number; perEmailPerHour: number; perAddressPerHour: number };
}

/** Parses the environment once at start-up; throws listing every bad variable. */
/** Every environment variable this process reads (deployment manifests are checked against it). */
export const API_ENV_KEYS: readonly string[] = Object.keys(envSchema.shape);

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
    mediaCorsOrigins: [...new Set(e.MEDIA_CORS_ORIGINS)],
    mediaTokenSecret: e.MEDIA_TOKEN_SECRET ? Buffer.from(e.MEDIA_TOKEN_SECRET, 'utf8') : randomBytes(32),
    castTokenTtlSec: e.CAST_TOKEN_TTL_SEC,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    presenceHeartbeatMs: e.PRESENCE_HEARTBEAT_MS,
    presenceExpiryMs: e.PRESENCE_EXPIRY_MS,
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
    ffmpegPath: e.FFMPEG_PATH,
    browserLiveStallMs: Math.round(e.BROWSER_LIVE_STALL_SEC * 1000),
    whip: { enabled: e.WHIP_ENABLED, portRange: e.WHIP_UDP_PORTS, hostAddresses: e.WHIP_HOST_ADDRESSES, maxSessions: e.WHIP_MAX_SESSIONS },
    import: importSettings(e),
    storage: storageSettings(e),
    mediaDelivery:
      e.MEDIA_DELIVERY === 'signed'
        ? { mode: 'signed', publicBaseUrl: e.MEDIA_PUBLIC_BASE_URL, ttlSec: e.MEDIA_SIGNED_URL_TTL_SEC }
        : { mode: 'api' },
    cameras: { limit: e.CAMERA_LIMIT, iceServers: e.ICE_SERVERS },
    metricsToken: e.METRICS_TOKEN,
    adminEmails: e.ADMIN_EMAILS,
    oidcProviders: e.OIDC_PROVIDERS,
    oidcStartsPerAddressPerHour: e.OIDC_STARTS_PER_ADDRESS_PER_HOUR,
    passwordLogin: e.PASSWORD_LOGIN === 'on',
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    passwordReset: {
      ttlMs: Math.round(e.PASSWORD_RESET_TTL_MIN * 60_000),
      perEmailPerHour: e.PASSWORD_RESETS_PER_EMAIL_PER_HOUR,
      perAddressPerHour: e.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
    },
  };
}
