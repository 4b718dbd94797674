// The real Reelroom processes for benchmarks: the same way test/support/stack.ts starts them (forked
// built apps, IPC 'listening'/'ready' messages), on a private database, Redis prefix and temp dir.
// Plain ESM so that `node bench/<x>.mjs` runs without a TypeScript loader.
import { execFileSync, fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { Redis } = createRequire(join(root, 'apps/api/package.json'))('ioredis');

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DB_BASE = process.env.BENCH_DATABASE_BASE_URL ?? 'postgresql://reelroom:reelroom@127.0.0.1:5432';

/**
 * A bench's private environment. `database` is dropped and migrated afresh by freshDatabase();
 * stop() ends every child (SIGTERM, then SIGKILL after 10 s), deletes the Redis keys under the prefix,
 * and removes the temp dir unless KEEP_BENCH_DIR is set.
 */
export function benchStack(name, { database } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `reelroom-bench-${name}-`));
  const queuePrefix = `rrbench-${name}-${randomBytes(4).toString('hex')}`;
  const databaseUrl = database ? `${DB_BASE}/${database}` : undefined;
  const children = [];
  let stopped = false;

  const spawnApp = (entry, env, logName, execArgv = []) => {
    const child = fork(join(root, entry), [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child.benchName = logName;
    const out = createWriteStream(join(dir, `${logName}.log`));
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    children.push(child);
    return child;
  };

  const waitFor = (child, type, timeoutMs = Number(process.env.BENCH_START_TIMEOUT_MS ?? 60_000)) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${type} not received from ${child.benchName}; logs in ${dir}`)), timeoutMs);
      const onMsg = (m) => {
        if (m?.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMsg);
        resolve(m);
      };
      child.on('message', onMsg);
      child.once('exit', (code) => reject(new Error(`${child.benchName} exited ${code} before ${type}; logs in ${dir}`)));
    });

  /** Environment both apps need: this bench's database, Redis prefix and media root. */
  const appEnv = (extra = {}) => ({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    MEDIA_ROOT: join(dir, 'media'),
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    // Every bench client comes from 127.0.0.1: the per-address abuse limits would stop the bench itself.
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '100000',
    GUESTS_PER_ADDRESS_PER_HOUR: '100000',
    PLAYBACK_BURST: '100000',
    PLAYBACK_PER_SEC: '100000',
    // No bench uses RTMP ingest, and the default port 1935 is often held by another stack on the machine
    // (a test run, a dev server): the API would exit at start. A bench that needs RTMP passes RTMP_PORT.
    RTMP_PORT: '0',
    ...extra,
  });

  /** Starts an API on a free port (PORT=0) and resolves with its base URL and process. */
  const startApi = async (extra = {}, logName = 'api', execArgv = []) => {
    const api = spawnApp(
      'apps/api/dist/main.js',
      appEnv({ PORT: '0', HOST: '127.0.0.1', WEB_DIST: join(root, 'apps/web/dist'), ...extra }),
      logName,
      execArgv,
    );
    const { port } = await waitFor(api, 'listening');
    return { api, port, baseUrl: `http://127.0.0.1:${port}` };
  };

  const startTranscoder = async (extra = {}, logName = 'transcoder') => {
    const t = spawnApp('apps/transcoder/dist/main.js', appEnv(extra), logName);
    await waitFor(t, 'ready');
    return t;
  };

  const freshDatabase = () => {
    if (!database) throw new Error('benchStack: no database given');
    execFileSync('psql', [`${DB_BASE}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qc', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`], {
      stdio: 'inherit',
    });
    execFileSync(process.execPath, [join(root, 'scripts/migrate.mjs'), '--create-db'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: 'pipe',
    });
  };

  const stop = async ({ dropDatabase = false } = {}) => {
    if (stopped) return;
    stopped = true;
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? undefined
          : new Promise((r) => {
              const k = setTimeout(() => c.kill('SIGKILL'), 10_000);
              c.once('exit', () => (clearTimeout(k), r()));
              c.kill('SIGTERM');
            }),
      ),
    );
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } catch (e) {
      console.error(`could not clean Redis keys ${queuePrefix}:*: ${e.message}`);
    } finally {
      redis.disconnect();
    }
    if (dropDatabase && database) {
      try {
        execFileSync('psql', [`${DB_BASE}/postgres`, '-qc', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`], { stdio: 'ignore' });
      } catch {
        /* the next run drops it first */
      }
    }
    if (!process.env.KEEP_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(`logs kept in ${dir}`);
  };

  return { dir, queuePrefix, databaseUrl, children, spawnApp, waitFor, appEnv, startApi, startTranscoder, freshDatabase, stop };
}

/** A JSON/multipart request helper against one API base URL; throws with the status and body on error. */
export function apiRequester(baseUrl) {
  return async (method, path, body, token) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    if (body && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: body instanceof FormData ? body : body && JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
}
