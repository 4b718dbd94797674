import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { BucketProbe, createTestBucket, s3Env, testS3Client } from './s3.js';

const root = join(import.meta.dirname, '..', '..');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Stack {
  baseUrl: string;
  port: number;
  /** The API's RTMP ingest port (a free port per stack, so stacks never fight over 1935). */
  rtmpPort: number;
  /** The API's MEDIA_ROOT: the store itself on local disk; with S3 only its staging (each transcoder has its own scratch). */
  mediaRoot: string;
  /** Which backend the processes use (StackOptions.storage). */
  storage: 'local' | 's3';
  /** The stored media, whichever the backend: for assertions that hold for both. */
  stored: StoredMedia;
  /** With S3: the stack's bucket. */
  bucket: BucketProbe | undefined;
  databaseUrl: string;
  queuePrefix: string;
  logDir: string;
  api: ChildProcess;
  transcoders: ChildProcess[];
  /** Each transcoder's /metrics and /health port (TRANSCODER_HTTP_PORT=0: any free one), by index in transcoders. */
  transcoderHttpPorts: number[];
  /** Starts one more transcoder process against the same queue and media root. */
  startTranscoder(env?: Record<string, string>): Promise<ChildProcess>;
  /**
   * Stops the API process (SIGTERM) and starts a new one on the same port, database, Redis prefix and
   * MEDIA_ROOT, with `env` layered over the original environment. `api` then points at the new process.
   */
  restartApi(env?: Record<string, string>): Promise<void>;
  /** Starts another API process on its own port, sharing database, Redis prefix and MEDIA_ROOT. */
  startSecondApi(env?: Record<string, string>): Promise<{ baseUrl: string; port: number; process: ChildProcess }>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** How many transcoder processes to start (default 1). */
  transcoders?: number;
  env?: Record<string, string>;
  /** Serve the built web app (default true). */
  web?: boolean;
  /**
   * Media storage: local disk under one shared MEDIA_ROOT, or `s3` (a fresh bucket on the test S3 server,
   * and a separate scratch MEDIA_ROOT per process: nothing shared but the bucket). Default: TEST_STORAGE,
   * else local, so `TEST_STORAGE=s3 npx vitest run --project integration` runs the suite on S3.
   */
  storage?: 'local' | 's3';
}

/** Stored media by key (`<mediaId>/source`, `<mediaId>/hls/master.m3u8`), on either backend. */
export interface StoredMedia {
  exists(key: string): Promise<boolean>;
  read(key: string): Promise<Buffer>;
  /** Every stored key under `prefix` (`<mediaId>/`), sorted. */
  keys(prefix: string): Promise<string[]>;
}

function localStored(root: string): StoredMedia {
  return {
    async exists(key) {
      return existsSync(join(root, key)) && statSync(join(root, key)).isFile();
    },
    async read(key) {
      return readFileSync(join(root, key));
    },
    async keys(prefix) {
      const dir = join(root, prefix);
      if (!existsSync(dir)) return [];
      return (readdirSync(dir, { recursive: true }) as string[])
        .filter((e) => statSync(join(dir, e)).isFile())
        .map((e) => relative(root, join(dir, e)).split(sep).join('/'))
        .sort();
    },
  };
}

/** A port nobody listens on right now (the OS picks it; closed again before the app binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Waits for the child's first IPC message of the given type, or fails with its log file's name. 90 s: an
 * API start took 19 s on a 2-core box at load 30 (several test runs at once), and more at load 40.
 */
function waitForMessage<T extends { type: string }>(child: ChildProcess, type: string, logFile: string, timeoutMs = 90_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${type} not received in ${timeoutMs} ms; see ${logFile}`)), timeoutMs);
    child.on('message', (m: T) => {
      if (m?.type === type) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${type}; see ${logFile}`));
    });
  });
}

function spawnApp(entry: string, env: Record<string, string>, logFile: string): ChildProcess {
  const child = fork(join(root, entry), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The log folders of this test file's running stacks (stack-failure-report.ts reads them when a test fails). */
export const runningStackLogs = new Set<string>();

/**
 * The real product, as processes: the built API (serving the built web app) and transcoder(s),
 * against this test project's database, a private Redis key prefix and a temporary MEDIA_ROOT.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const databaseUrl = inject('databaseUrl');
  const dir = mkdtempSync(join(tmpdir(), 'reelroom-stack-'));
  const mediaRoot = join(dir, 'media');
  const logDir = dir;
  runningStackLogs.add(logDir);
  const queuePrefix = `rrtest-${randomBytes(4).toString('hex')}`;
  const storage = opts.storage ?? (process.env.TEST_STORAGE === 's3' ? 's3' : 'local');
  let bucket: BucketProbe | undefined;
  let storageEnv: Record<string, string> = {};
  if (storage === 's3') {
    const endpoint = inject('s3Endpoint');
    const client = testS3Client(endpoint);
    bucket = new BucketProbe(client, await createTestBucket(client));
    storageEnv = s3Env(endpoint, bucket.bucket);
  }
  const common = {
    ...storageEnv,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    MEDIA_ROOT: mediaRoot,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    // Every test client comes from 127.0.0.1: the per-address sign-up limits are the security tests' to set.
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000',
    GUESTS_PER_ADDRESS_PER_HOUR: '10000',
    ...opts.env,
  };
  const rtmpPort = await freePort();
  const apiEnv = {
    // SIGTERM stops at once in tests (no load balancer to leave first); a test of that sets its own.
    SHUTDOWN_DELAY_MS: '0',
    ...common,
    PORT: '0',
    HOST: '127.0.0.1',
    RTMP_PORT: String(rtmpPort),
    RTMP_HOST: '127.0.0.1',
    WEB_DIST: opts.web === false ? join(dir, 'no-web') : join(root, 'apps/web/dist'),
  };
  const api = spawnApp('apps/api/dist/main.js', apiEnv, join(logDir, 'api.log'));
  const apiListening = waitForMessage<{ type: string; port: number }>(api, 'listening', join(logDir, 'api.log'));

  const transcoders: ChildProcess[] = [];
  const transcoderHttpPorts: number[] = [];
  let n = 0;
  const startTranscoder = async (env: Record<string, string> = {}) => {
    const logFile = join(logDir, `transcoder-${n++}.log`);
    // With S3 a transcoder shares no disk with the API: its MEDIA_ROOT is its own scratch space.
    const scratch = storage === 's3' ? { MEDIA_ROOT: join(dir, `transcoder-${n}-scratch`) } : {};
    const t = spawnApp('apps/transcoder/dist/main.js', { TRANSCODER_HTTP_PORT: '0', ...common, ...scratch, ...env }, logFile);
    const { httpPort } = await waitForMessage<{ type: string; httpPort?: number | null }>(t, 'ready', logFile);
    transcoders.push(t);
    transcoderHttpPorts.push(httpPort ?? 0);
    return t;
  };
  // The transcoders start while the API does (neither needs the other to boot): a process start is
  // seconds of mostly single-threaded module loading, and every integration and e2e file starts a stack.
  // One after another among themselves, so transcoder-<n>.log is transcoders[n].
  const initialTranscoders = (async () => {
    for (let i = 0; i < (opts.transcoders ?? 1); i++) await startTranscoder();
  })();
  let port: number;
  try {
    [{ port }] = await Promise.all([apiListening, initialTranscoders]);
  } catch (err) {
    // Whichever failed, leave no process of this stack behind.
    await initialTranscoders.catch(() => undefined);
    await Promise.all([api, ...transcoders].map((c) => stopChild(c)));
    throw err;
  }

  const extraApis: ChildProcess[] = [];
  const stack: Stack = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    rtmpPort,
    mediaRoot,
    storage,
    stored: bucket ?? localStored(mediaRoot),
    bucket,
    databaseUrl,
    queuePrefix,
    logDir,
    api,
    transcoders,
    transcoderHttpPorts,
    startTranscoder,
    async restartApi(env: Record<string, string> = {}) {
      await stopChild(stack.api);
      const logFile = join(logDir, 'api.log');
      const next = spawnApp('apps/api/dist/main.js', { ...apiEnv, ...env, PORT: String(port) }, logFile);
      await waitForMessage(next, 'listening', logFile);
      stack.api = next;
    },
    async startSecondApi(env: Record<string, string> = {}) {
      const logFile = join(logDir, `api-${extraApis.length + 2}.log`);
      const child = spawnApp('apps/api/dist/main.js', { ...apiEnv, RTMP_PORT: String(await freePort()), ...env, PORT: '0' }, logFile);
      const { port: p } = await waitForMessage<{ type: string; port: number }>(child, 'listening', logFile);
      extraApis.push(child);
      return { baseUrl: `http://127.0.0.1:${p}`, port: p, process: child };
    },
    async stop() {
      await Promise.all([stack.api, ...extraApis, ...transcoders].map((c) => stopChild(c)));
      const redis = new Redis(REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
      runningStackLogs.delete(logDir);
      if (!process.env.KEEP_STACK_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
