import { resolve } from 'node:path';
import { z } from 'zod';
import {
  IMPORT_QUEUE,
  LIVE_QUEUE,
  MEDIA_QUEUE,
  importEnvShape,
  importSettings,
  importTestSettingProblem,
  parseEnv,
  type ImportSettings,
} from '@reelroom/contracts';
import { storageEnvShape, storageSettings, storageSettingsProblems, type StorageSettings } from '@reelroom/s3';
import { DEFAULT_LIMITS, type TranscodeLimits } from '../ffmpeg/media-limits.js';
import { PROBE_MAX_STREAMS } from '../ffmpeg/hardened-input.js';
import type { FirstSegmentSec } from '../ffmpeg/segment-grid.js';

export { ConfigError } from '@reelroom/contracts';

export const TRANSCODER_CONFIG = Symbol('TRANSCODER_CONFIG');
export const LOGGER = Symbol('LOGGER');

const seconds = (max?: number) => {
  const s = z.coerce.number().int().positive();
  return max === undefined ? s : s.max(max);
};

/**
 * Above this, ffmpeg's limit could outlast the transcode job's try budget (JOB_POLICIES in contracts,
 * 24 h), and the backstop would fire first with a vaguer error.
 */
const MAX_TRANSCODE_TIMEOUT_SEC = 20 * 3600;

/** Every queue a transcoder can consume. */
export const WORKER_QUEUES = [MEDIA_QUEUE, LIVE_QUEUE, IMPORT_QUEUE] as const;
export type WorkerQueue = (typeof WORKER_QUEUES)[number];

const queueList = z
  .string()
  .transform((v) => [...new Set(v.split(',').map((q) => q.trim()))].filter(Boolean))
  .pipe(
    z
      .array(z.enum(WORKER_QUEUES, { error: () => `each queue must be one of ${WORKER_QUEUES.join(', ')}` }))
      .min(1, 'name at least one queue'),
  );

// Every variable the transcoder reads; process.env is read here and nowhere else.
const envSchema = z
  .object({
    // Only to accept the test-only import allowance (IMPORT_TEST_ALLOW_ADDRESSES) in tests.
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
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
    // Which queues this process consumes: all by default; a fleet can keep live transcoders apart from VOD
    // ones (a live must start in seconds, never behind a VOD backlog), e.g. `live` and `media,media-import`.
    TRANSCODER_QUEUES: queueList.default([...WORKER_QUEUES]),
    TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    // Chunked transcodes' audio parts on a slot of their own beside TRANSCODE_CONCURRENCY (AUDIO_PART_QUEUE):
    // chunk 0 no longer waits for the whole file's audio. 0: they share the media queue's slots (the old way).
    TRANSCODE_AUDIO_CONCURRENCY: z.coerce.number().int().min(0).max(8).default(1),
    TRANSCODE_MAX_HEIGHT: z.coerce.number().int().min(144).max(2160).default(1080),
    TRANSCODE_TIMEOUT_SEC: seconds(MAX_TRANSCODE_TIMEOUT_SEC).default(6 * 3600),
    MAX_DURATION_SEC: seconds().default(6 * 3600),
    // What a source may be (media-limits.ts). Sides are compared orientation-free.
    MAX_SOURCE_WIDTH: z.coerce.number().int().min(16).max(16384).default(DEFAULT_LIMITS.maxWidth),
    MAX_SOURCE_HEIGHT: z.coerce.number().int().min(16).max(16384).default(DEFAULT_LIMITS.maxHeight),
    MAX_SOURCE_PIXELS: z.coerce
      .number()
      .int()
      .min(256)
      .max(16384 * 16384)
      .default(DEFAULT_LIMITS.maxPixels),
    MAX_SOURCE_FPS: z.coerce.number().int().min(1).max(1000).default(DEFAULT_LIMITS.maxFps),
    // ffprobe itself stops at PROBE_MAX_STREAMS, so a higher limit could never be reached.
    MAX_SOURCE_STREAMS: z.coerce.number().int().min(1).max(PROBE_MAX_STREAMS).default(DEFAULT_LIMITS.maxStreams),
    PROBE_TIMEOUT_SEC: seconds(3600).default(DEFAULT_LIMITS.probeTimeoutMs / 1000),
    ARTWORK_TIMEOUT_SEC: seconds(3600).default(DEFAULT_LIMITS.artworkTimeoutMs / 1000),
    // Unset: ffmpeg-static's binary when that optional package installed one, else `ffmpeg` on PATH
    // (ffmpeg/binary-resolution.ts). The same for ffprobe.
    FFMPEG_PATH: z.string().min(1).optional(),
    FFPROBE_PATH: z.string().min(1).optional(),
    FFMPEG_NICE: z.coerce.number().int().min(0).max(19).default(10),
    // ffmpeg's -threads for each VOD encode and chunk on this worker (0: ffmpeg's choice, every core). One
    // worker per core: 1; one worker per host: 0 (issue 11).
    TRANSCODE_THREADS: z.coerce.number().int().min(0).max(64).default(0),
    // Chunked encoding (issue 11): videos longer than CHUNK_THRESHOLD_SEC (0: never) are split into chunks
    // of CHUNK_SEC (a whole number of 2 s segments) that any free worker encodes in parallel.
    CHUNK_THRESHOLD_SEC: z.coerce.number().int().min(0).max(86_400).default(120),
    CHUNK_SEC: z.coerce
      .number()
      .int()
      .min(2)
      .max(3600)
      .refine((v) => v % 2 === 0, 'must be a whole number of 2 s segments (an even number of seconds)')
      .default(40),
    // How the encode notices the first segment of every rung, which makes the media playable (issue 11):
    // `poll` (every 100 ms; chunks every 500 ms) or `watch` (the folders' change notifications, the poll as
    // fallback; saves up to 100/500 ms). `watch` stays opt-in until test/e2e/early-playback.test.ts is
    // understood with it (it failed twice with watch on a loaded machine, passed with poll); the bench's
    // --ab compares the two.
    FIRST_SEGMENT_WAIT: z.enum(['watch', 'poll']).default('poll'),
    // Length of the first segment of every upload (issue 11, ffmpeg/segment-grid.ts): 1 s halves the media
    // the whole ladder encodes before the video can be watched; 2 restores the uniform 2 s grid (the
    // baseline of bench/time-to-first-frame.mjs --ab). A chunked video's parts carry the value their
    // parent planned with, so workers may differ during a change.
    FIRST_SEGMENT_SEC: z
      .enum(['1', '2'])
      .default('1')
      .transform((v): FirstSegmentSec => (v === '1' ? 1 : 2)),
    // Live transcodes (issue 8) run on their own queue: how many at once on this worker (a 720p30 ladder
    // uses about 45 % of 2 cores), and the longest live before ffmpeg is stopped.
    LIVE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    LIVE_MAX_DURATION_SEC: seconds(24 * 3600).default(12 * 3600),
    // Disk one live may fill (its whole recording, every rung: the replay needs it all), in MiB; the live
    // ends with a reason when it is reached. 0: no bound. A 720p ladder writes about 2 GiB an hour.
    LIVE_MAX_DISK_MB: z.coerce.number().int().min(0).max(10_000_000).default(20_480),
    // The live queue's BullMQ lock: a live whose transcoder dies (SIGKILL, power loss) is resumed by another
    // transcoder within about twice this (issue 8 asks for 5 s). Renewed every half of it, so it must stay
    // above the longest event-loop stall a loaded transcoder has (a live's work is in ffmpeg, not here).
    LIVE_WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(2000),
    // BullMQ lock: a worker that dies (SIGKILL, power loss) has its job handed to another after about this
    // long. Lower only in tests; a short lock on a busy box makes healthy jobs look stalled.
    WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    // After SIGTERM, how long running jobs may go on before they are handed back to the queue (0: at once).
    SHUTDOWN_GRACE_SEC: z.coerce.number().int().min(0).max(86_400).default(20),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    // The small HTTP listener for /metrics and /health/* (issue 10): port (0: any free one, -1: off) and
    // bind address (loopback by default; 0.0.0.0 where Prometheus or the kubelet reach it over the network).
    TRANSCODER_HTTP_PORT: z.coerce.number().int().min(-1).max(65535).default(9464),
    TRANSCODER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    // When set, GET /metrics wants Authorization: Bearer <METRICS_TOKEN> (the same variable as the API's).
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // Imports by link (issue 13): the import worker's queue, concurrency and link policy (shared with the API).
    ...importEnvShape,
    // Media storage (issue 10): local disk under MEDIA_ROOT, or an S3-compatible bucket (shared with the API).
    ...storageEnvShape,
  })
  .superRefine((e, ctx) => {
    const problem = importTestSettingProblem(e.NODE_ENV, e.IMPORT_TEST_ALLOW_ADDRESSES);
    if (problem) ctx.addIssue({ code: 'custom', path: ['IMPORT_TEST_ALLOW_ADDRESSES'], message: problem });
    for (const [path, message] of storageSettingsProblems(e)) ctx.addIssue({ code: 'custom', path: [path], message });
  });

export interface TranscoderConfig {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  mediaRoot: string;
  /** The queues this process takes jobs from (TRANSCODER_QUEUES). */
  queues: WorkerQueue[];
  concurrency: number;
  /**
   * Audio parts of chunked transcodes run at once by this process on their own queue (0: none; they go on
   * the media queue). Set it alike on every transcoder: the parent that queues the parts decides the queue.
   */
  audioConcurrency: number;
  /** Top of the ladder (short side). */
  maxHeight: number;
  /** Every limit on a source and on each ffmpeg/ffprobe run. */
  limits: Required<TranscodeLimits>;
  /** FFMPEG_PATH / FFPROBE_PATH when set; resolved with the fallbacks at start-up (main.ts). */
  ffmpegPath?: string;
  ffprobePath?: string;
  niceness: number;
  /** ffmpeg -threads per VOD encode or chunk (0: ffmpeg's choice). */
  threads: number;
  /** Chunked encoding: sources longer than thresholdSec (0: off) split into chunkSec chunks. */
  chunking: { thresholdSec: number; chunkSec: number };
  /** FIRST_SEGMENT_WAIT: notice the first segments through folder notifications (watch) or polling only. */
  firstSegmentWait: 'watch' | 'poll';
  /** FIRST_SEGMENT_SEC: the first segment's length (1, or 2 for the uniform grid). */
  firstSegmentSec: FirstSegmentSec;
  liveConcurrency: number;
  liveMaxDurationSec: number;
  /** LIVE_MAX_DISK_MB in bytes (0: no bound). */
  liveMaxDiskBytes: number;
  /** The live queue's lock (LIVE_WORKER_LOCK_MS): a dead live worker's live moves on after about twice this. */
  liveWorkerLockMs: number;
  workerLockMs: number;
  /** After SIGTERM, how long running jobs may finish before they are handed back to the queue. */
  shutdownGraceMs: number;
  /** Imports by link: IMPORT_CONCURRENCY downloads per process, the link policy, yt-dlp. */
  import: ImportSettings;
  /** STORAGE: local disk (MEDIA_ROOT) or an S3-compatible bucket; with S3, MEDIA_ROOT is scratch space. */
  storage: StorageSettings;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  /** The /metrics and /health listener; port -1: off. */
  http: { port: number; host: string };
  metricsToken: string | undefined;
}

/** Every environment variable this process reads (deployment manifests are checked against it). */
export const TRANSCODER_ENV_KEYS: readonly string[] = Object.keys(envSchema.shape);

export function loadConfig(env: Record<string, string | undefined>): TranscoderConfig {
  const e = parseEnv(envSchema, env);
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    mediaRoot: resolve(e.MEDIA_ROOT),
    queues: e.TRANSCODER_QUEUES,
    concurrency: e.TRANSCODE_CONCURRENCY,
    audioConcurrency: e.TRANSCODE_AUDIO_CONCURRENCY,
    maxHeight: e.TRANSCODE_MAX_HEIGHT,
    limits: {
      maxDurationSec: e.MAX_DURATION_SEC,
      maxWidth: e.MAX_SOURCE_WIDTH,
      maxHeight: e.MAX_SOURCE_HEIGHT,
      maxPixels: e.MAX_SOURCE_PIXELS,
      maxFps: e.MAX_SOURCE_FPS,
      maxStreams: e.MAX_SOURCE_STREAMS,
      timeoutMs: e.TRANSCODE_TIMEOUT_SEC * 1000,
      probeTimeoutMs: e.PROBE_TIMEOUT_SEC * 1000,
      artworkTimeoutMs: e.ARTWORK_TIMEOUT_SEC * 1000,
    },
    ...(e.FFMPEG_PATH !== undefined && { ffmpegPath: e.FFMPEG_PATH }),
    ...(e.FFPROBE_PATH !== undefined && { ffprobePath: e.FFPROBE_PATH }),
    niceness: e.FFMPEG_NICE,
    threads: e.TRANSCODE_THREADS,
    // Local disk or S3 alike: with S3 each chunk is encoded in its worker's scratch space and published to
    // the bucket, so the chunks of one video spread over hosts that share no volume.
    chunking: { thresholdSec: e.CHUNK_THRESHOLD_SEC, chunkSec: e.CHUNK_SEC },
    firstSegmentWait: e.FIRST_SEGMENT_WAIT,
    firstSegmentSec: e.FIRST_SEGMENT_SEC,
    liveConcurrency: e.LIVE_CONCURRENCY,
    liveMaxDurationSec: e.LIVE_MAX_DURATION_SEC,
    liveMaxDiskBytes: e.LIVE_MAX_DISK_MB * 1024 * 1024,
    liveWorkerLockMs: e.LIVE_WORKER_LOCK_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SEC * 1000,
    import: importSettings(e),
    storage: storageSettings(e),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    http: { port: e.TRANSCODER_HTTP_PORT, host: e.TRANSCODER_HTTP_HOST },
    metricsToken: e.METRICS_TOKEN,
  };
}
