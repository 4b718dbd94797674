import { resolve } from 'node:path';
import { z } from 'zod';
import { parseEnv } from '@reelroom/contracts';

export { ConfigError } from '@reelroom/contracts';

export const TRANSCODER_CONFIG = Symbol('TRANSCODER_CONFIG');
export const LOGGER = Symbol('LOGGER');

// Every variable the transcoder reads; process.env is read here and nowhere else.
const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').default('postgresql://reelroom:reelroom@127.0.0.1:5432/reelroom'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_:-]+$/).default('reelroom'),
  MEDIA_ROOT: z.string().min(1).default('./data/media'),
  TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  TRANSCODE_MAX_HEIGHT: z.coerce.number().int().min(144).max(2160).default(1080),
  TRANSCODE_TIMEOUT_SEC: z.coerce.number().int().positive().default(6 * 3600),
  MAX_DURATION_SEC: z.coerce.number().int().positive().default(6 * 3600),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  FFMPEG_NICE: z.coerce.number().int().min(0).max(19).default(10),
  // BullMQ lock: a worker that dies (SIGKILL, power loss) has its job handed to another after about this
  // long. Lower only in tests; a short lock on a busy box makes healthy jobs look stalled.
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

export interface TranscoderConfig {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  mediaRoot: string;
  concurrency: number;
  maxHeight: number;
  timeoutMs: number;
  maxDurationSec: number;
  ffmpegPath: string;
  ffprobePath: string;
  niceness: number;
  workerLockMs: number;
  logLevel: string;
  logFormat: 'json' | 'pretty';
}

export function loadConfig(env: Record<string, string | undefined>): TranscoderConfig {
  const e = parseEnv(envSchema, env);
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    mediaRoot: resolve(e.MEDIA_ROOT),
    concurrency: e.TRANSCODE_CONCURRENCY,
    maxHeight: e.TRANSCODE_MAX_HEIGHT,
    timeoutMs: e.TRANSCODE_TIMEOUT_SEC * 1000,
    maxDurationSec: e.MAX_DURATION_SEC,
    ffmpegPath: e.FFMPEG_PATH,
    ffprobePath: e.FFPROBE_PATH,
    niceness: e.FFMPEG_NICE,
    workerLockMs: e.WORKER_LOCK_MS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
  };
}
