#!/usr/bin/env node
// The newcomer's first command, checked: `npm run up` provisions, builds and starts, prints its URL,
// GET /api/health answers 200, and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops
// every process it started, in time. Each phase is bounded by a timeout; the exit code says whether
// all of it held. Node built-ins only: on a fresh clone node_modules does not exist yet.
//
// It runs on a free port, with its own database, queue prefix and media directory, so it can run on a
// machine where Reelroom already runs (or other checks share PostgreSQL and Redis). Override with
// PORT, DATABASE_URL, QUEUE_PREFIX, MEDIA_ROOT; UP_TIMEOUT_SEC (default 900: a fresh machine installs
// packages and dependencies first), HEALTH_TIMEOUT_SEC (120), STOP_TIMEOUT_SEC (30).
//
// Usage: node scripts/check-up.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = (name, fallback) => Number(process.env[name] ?? fallback) * 1000;
const UP_TIMEOUT_MS = seconds('UP_TIMEOUT_SEC', 900);
const HEALTH_TIMEOUT_MS = seconds('HEALTH_TIMEOUT_SEC', 120);
const STOP_TIMEOUT_MS = seconds('STOP_TIMEOUT_SEC', 30);

const log = (msg) => console.log(`\x1b[1;36m[check-up]\x1b[0m ${msg}`);
const fail = (msg) => {
  console.error(`\x1b[1;31m[check-up]\x1b[0m ${msg}`);
  process.exitCode = 1;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Resolves after `ms` without keeping the process alive once everything else is done. */
const deadline = (ms) => new Promise((r) => setTimeout(r, ms).unref());
const elapsed = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on the port. */
function listening(port) {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** True while any process of the group is alive. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthStatus(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.status;
  } catch {
    return 0;
  }
}

const port = Number(process.env.PORT ?? (await freePort()));
const mediaRoot = process.env.MEDIA_ROOT ?? mkdtempSync(join(tmpdir(), 'reelroom-check-up-'));
const env = {
  ...process.env,
  PORT: String(port),
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://reelroom:reelroom@127.0.0.1:5432/reelroom_check_up',
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? `reelroom-check-up-${process.pid}`,
  MEDIA_ROOT: mediaRoot,
};

log(`npm run up on port ${port} (database ${new URL(env.DATABASE_URL).pathname.slice(1)}, queue prefix ${env.QUEUE_PREFIX})`);
const t0 = Date.now();
// Its own process group, like a terminal's foreground job: Ctrl-C reaches npm, bash and every app.
const up = spawn('npm', ['run', 'up'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let exited = null;
const exit = new Promise((resolve) => up.once('exit', (code, signal) => resolve((exited = { code, signal }))));
let printedUrl = null;
let sawUrl;
const urlSeen = new Promise((resolve) => (sawUrl = resolve));
for (const stream of [up.stdout, up.stderr]) {
  let buffered = '';
  stream.on('data', (chunk) => {
    process.stdout.write(chunk);
    buffered = (buffered + chunk.toString()).slice(-4096);
    const m = stripVTControlCharacters(buffered).match(/Reelroom: (http:\/\/\S+)/);
    if (m && !printedUrl) {
      printedUrl = m[1];
      sawUrl(m[1]);
    }
  });
}

const stopGroup = async () => {
  if (!groupAlive(up.pid)) return true;
  process.kill(-up.pid, 'SIGINT');
  const until = Date.now() + STOP_TIMEOUT_MS;
  while (groupAlive(up.pid) && Date.now() < until) await sleep(100);
  if (!groupAlive(up.pid)) return true;
  process.kill(-up.pid, 'SIGKILL');
  return false;
};
// If this check itself is interrupted, take everything it started down with it.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    if (groupAlive(up.pid)) process.kill(-up.pid, 'SIGKILL');
    process.exit(1);
  });
}

try {
  const first = await Promise.race([urlSeen, exit.then(() => 'exited'), deadline(UP_TIMEOUT_MS).then(() => 'timeout')]);
  if (first === 'exited') throw new Error(`npm run up exited (${JSON.stringify(exited)}) before printing its URL`);
  if (first === 'timeout') throw new Error(`npm run up printed no URL within ${UP_TIMEOUT_MS / 1000} s`);
  if (!first.endsWith(`:${port}`)) throw new Error(`npm run up printed ${first}, not port ${port}`);
  const toUrl = elapsed(t0);
  log(`URL printed after ${toUrl}: ${first}`);

  const health = `http://127.0.0.1:${port}/api/health`;
  const healthUntil = Date.now() + HEALTH_TIMEOUT_MS;
  let status = 0;
  while ((status = await healthStatus(health)) !== 200 && Date.now() < healthUntil && !exited) await sleep(250);
  if (status !== 200) throw new Error(`GET ${health} answered ${status || 'nothing'} within ${HEALTH_TIMEOUT_MS / 1000} s of the URL`);
  log(`GET /api/health: 200 after ${elapsed(t0)}`);

  const t1 = Date.now();
  if (!(await stopGroup())) throw new Error(`processes still running ${STOP_TIMEOUT_MS / 1000} s after Ctrl-C (killed)`);
  const { code, signal } = await exit;
  // npm reports a run stopped by Ctrl-C as exit 130 (128 + SIGINT), or dies of the signal itself.
  if (!(code === 0 || code === 130 || signal === 'SIGINT'))
    throw new Error(`npm run up ended with ${JSON.stringify({ code, signal })} after Ctrl-C`);
  if (await listening(port)) throw new Error(`port ${port} still accepts connections after the stop`);
  log(`stopped cleanly ${elapsed(t1)} after Ctrl-C; npm run up: URL in ${toUrl}`);
} catch (err) {
  fail(err.message);
  if (groupAlive(up.pid)) process.kill(-up.pid, 'SIGKILL');
} finally {
  if (!process.env.MEDIA_ROOT) rmSync(mediaRoot, { recursive: true, force: true });
}
