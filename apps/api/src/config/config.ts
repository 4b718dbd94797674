import { resolve } from 'node:path';
import { z } from 'zod';
import { importEnvShape, importSettings, importTestSettingProblem, parseEnv, type ImportSettings } from '@reelroom/contracts';

export { ConfigError } from '@reelroom/contracts';

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

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
    COOKIE_SECURE: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    // Wrong room PINs: failures allowed per (room, client address) and per room in the window (issue 3).
    PIN_FAILS_PER_IP: z.coerce.number().int().positive().default(5),
    PIN_FAILS_PER_ROOM: z.coerce.number().int().positive().default(20),
    PIN_FAIL_WINDOW_SEC: z.coerce.number().int().positive().default(600),
    // Chat token bucket, per user (Redis) and per connection (memory): burst, then this many per second.
    CHAT_BURST: z.coerce.number().int().positive().default(5),
    CHAT_PER_SEC: z.coerce.number().positive().default(1),
    // Flood guard: a socket sending more events than this in one second is disconnected.
    SOCKET_MAX_EVENTS_PER_SEC: z.coerce.number().int().positive().default(50),
    // Add a video by link (issue 13): the link policy, shared with the transcoder's import worker.
    ...importEnvShape,
  })
  .superRefine((e, ctx) => {
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
  logLevel: string;
  logFormat: 'json' | 'pretty';
  pinFailsPerIp: number;
  pinFailsPerRoom: number;
  pinFailWindowSec: number;
  chatBurst: number;
  chatPerSec: number;
  socketMaxEventsPerSec: number;
  /** Imports by link: the API checks a link with these before queueing it. */
  import: ImportSettings;
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
    cookieSecure: e.COOKIE_SECURE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    pinFailsPerIp: e.PIN_FAILS_PER_IP,
    pinFailsPerRoom: e.PIN_FAILS_PER_ROOM,
    pinFailWindowSec: e.PIN_FAIL_WINDOW_SEC,
    chatBurst: e.CHAT_BURST,
    chatPerSec: e.CHAT_PER_SEC,
    socketMaxEventsPerSec: e.SOCKET_MAX_EVENTS_PER_SEC,
    import: importSettings(e),
  };
}
