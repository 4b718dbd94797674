#!/usr/bin/env node
// Chat and sync fan-out (issue 3, Benchmarks): N socket.io clients in one room, driven from a SEPARATE
// process (bench/fanout-driver.mjs), against 1 or 2 BUILT API processes (as test/support/stack.ts starts
// them) sharing one database, Redis and key prefix. Reports delivery latency (receive - send, same
// machine clock) over every (message x client) delivery, lost deliveries, and memory per connection.
//
//   npm run build && node bench/chat-fanout.mjs [--clients=1000] [--apis=1|2] [--messages=50] [--syncs=15]
//
// Needs PostgreSQL and Redis as for the tests: BENCH_DATABASE_BASE_URL (default
// postgresql://reelroom:reelroom@127.0.0.1:5432; the database reelroom_bench_fanout is dropped and
// re-created) and REDIS_URL (default redis://127.0.0.1:6379). A 2 s 320x240 clip is generated with ffmpeg
// lavfi, uploaded and transcoded by the built transcoder so sync commands have a ready media; with
// --syncs=0 that step is skipped. Chat rate limits are raised (CHAT_BURST/CHAT_PER_SEC) so the bench
// measures fan-out, not throttling; the senders are paced well under SOCKET_MAX_EVENTS_PER_SEC.
// Not part of npm test.
import { execFile } from 'node:child_process';
import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { f, log, numberArg, pct, pool } from './lib/measure.mjs';
import { apiRequester, benchStack, root } from './lib/stack.mjs';

for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js']) {
  if (!existsSync(join(root, entry))) {
    console.error(`${entry} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const arg = numberArg;
const N = arg('clients', 1000);
const APIS = arg('apis', 1);
const M = arg('messages', 50);
const SYNCS = arg('syncs', 15);
const CHAT_RATE = arg('chat-rate', 10); // messages per second, all senders together
const SENDERS = arg('senders', 4);
const SYNC_RATE = arg('sync-rate', 2);
const CONCURRENCY = arg('concurrency', 50);
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

// --- stack -------------------------------------------------------------------------------------------
const stack = benchStack('fanout', { database: 'reelroom_bench_fanout' });
const { dir, queuePrefix, spawnApp, waitFor } = stack;
// Lets the bench ask an API process for its heap (process.memoryUsage after a GC) over the IPC channel.
const MEM_PROBE = `data:text/javascript,${encodeURIComponent(
  "process.on('message',(m)=>{if(m&&m.type==='bench:mem'){globalThis.gc?.();process.send({type:'bench:mem',...process.memoryUsage()})}})",
)}`;
async function stop() {
  await stack.stop();
  log(`cleaned up: processes stopped, Redis keys under ${queuePrefix}: deleted`);
}
process.on('SIGINT', () => void stop().then(() => process.exit(130)));

function vm(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssKb: kb('VmRSS') };
}
async function memory(api) {
  const reply = waitFor(api, 'bench:mem', 10_000);
  api.send({ type: 'bench:mem' });
  const m = await reply;
  return {
    rssKb: vm(api.pid).rssKb,
    heapUsedKb: Math.round(m.heapUsed / 1024),
    heapTotalKb: Math.round(m.heapTotal / 1024),
    externalKb: Math.round(m.external / 1024),
  };
}

let exitCode = 0;
try {
  log(
    `clients=${N} apis=${APIS} messages=${M} syncs=${SYNCS}; machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; prefix ${queuePrefix}`,
  );
  stack.freshDatabase();
  const common = stack.appEnv({ LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' });
  const apiEnv = {
    ...common,
    PORT: '0',
    HOST: '127.0.0.1',
    WEB_DIST: join(dir, 'no-web'),
    CHAT_BURST: '100000',
    CHAT_PER_SEC: '100000',
    SOCKET_MAX_EVENTS_PER_SEC: '200',
  };
  const apis = [];
  for (let i = 0; i < APIS; i++) {
    const api = spawnApp('apps/api/dist/main.js', apiEnv, `api-${i + 1}`, ['--expose-gc', '--import', MEM_PROBE]);
    const { port } = await waitFor(api, 'listening');
    apis.push({ proc: api, port });
  }
  const ports = apis.map((a) => a.port);
  const base = `http://127.0.0.1:${ports[0]}`;
  log(`API processes: ${apis.map((a) => `pid ${a.proc.pid} :${a.port}`).join(', ')}`);

  const req = apiRequester(base);
  const hostAuth = await req('POST', '/api/auth/register', {
    email: `bench${Date.now()}@example.test`,
    password: 'correct horse battery',
    displayName: 'Host',
  });
  const hostToken = hostAuth.accessToken;
  const room = await req('POST', '/api/rooms', { name: 'Fan-out bench' }, hostToken);
  log(`room ${room.id}`);

  // A ready media for sync commands: tiny lavfi clip, uploaded, transcoded by the built transcoder.
  let mediaId = null;
  if (SYNCS > 0) {
    const t = performance.now();
    const clip = join(dir, 'clip.mp4');
    await promisify(execFile)(FFMPEG, [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      '2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      clip,
    ]);
    await waitFor(spawnApp('apps/transcoder/dist/main.js', common, 'transcoder'), 'ready');
    const form = new FormData();
    form.append('file', await openAsBlob(clip), 'bench-clip.mp4');
    const media = await req('POST', `/api/rooms/${room.id}/media`, form, hostToken);
    for (;;) {
      const m = await req('GET', `/api/media/${media.id}`, undefined, hostToken);
      if (m.status === 'ready') {
        mediaId = m.id;
        break;
      }
      if (m.status === 'failed' || performance.now() - t > 120_000) {
        log(`media not ready (${m.status}); sync commands will be skipped`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    if (mediaId) log(`media ${mediaId} ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  // N guests, bounded concurrency.
  let t = performance.now();
  const guests = await pool(N, CONCURRENCY, async (i) => {
    const g = await req('POST', `/api/rooms/${room.id}/guest`, { displayName: `g${i}` });
    return { idx: i, token: g.accessToken };
  });
  log(`${N} guest sessions in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Driver process.
  const driver = spawnApp('bench/fanout-driver.mjs', {}, 'driver');
  await waitFor(driver, 'ready');
  const driverErr = new Promise((_, reject) => driver.on('message', (m) => m?.type === 'error' && reject(new Error(`driver: ${m.error}`))));
  driverErr.catch(() => undefined);

  await new Promise((r) => setTimeout(r, 1000));
  const memBefore = [];
  for (const a of apis) memBefore.push(await memory(a.proc));

  t = performance.now();
  driver.send({ type: 'connect', roomId: room.id, ports, tokens: guests, hostToken, concurrency: CONCURRENCY });
  const joined = await Promise.race([waitFor(driver, 'joined', 600_000), driverErr]);
  log(
    `joined: ${joined.ok}/${N} in ${(joined.ms / 1000).toFixed(1)} s${joined.failed ? `; failures: ${JSON.stringify(joined.errors)}` : ''}`,
  );
  // Let join-time presence/system-line traffic drain before measuring memory and latency.
  await new Promise((r) => setTimeout(r, 3000));
  const memAfter = [];
  for (const a of apis) memAfter.push(await memory(a.proc));
  const perApi = apis.map((_, i) => Math.floor(N / APIS) + (i < N % APIS ? 1 : 0));

  driver.send({
    type: 'run',
    messages: M,
    chatPerSec: CHAT_RATE,
    senders: SENDERS,
    mediaId,
    syncCommands: mediaId ? SYNCS : 0,
    syncPerSec: SYNC_RATE,
    settleMs: 3000,
  });
  const r = await Promise.race([waitFor(driver, 'result', 600_000), driverErr]);

  // --- report --------------------------------------------------------------------------------------
  const receivers = joined.ok;
  const chat = r.chatLatencies.sort((a, b) => a - b);
  const chatExpected = r.chatSent * receivers;
  const sync = [];
  let syncExpected = 0;
  for (const [seq, sentAt] of Object.entries(r.syncSent)) {
    syncExpected += receivers;
    for (const at of r.syncRecv[seq] ?? []) sync.push(at - sentAt);
  }
  sync.sort((a, b) => a - b);
  const syncCount = Object.keys(r.syncSent).length;

  console.log('');
  console.log(
    `chat-fanout: ${N} clients (${receivers} joined) on ${APIS} API process(es) [${ports.join(', ')}], 1 room, ${cpus().length} CPUs`,
  );
  console.log(
    `  chat: ${r.chatSent}/${M} messages sent from ${SENDERS} senders at ${CHAT_RATE}/s; sync: ${syncCount} commands (play/pause/seek) from the host at ${SYNC_RATE}/s${r.syncNote ? ` (${r.syncNote})` : ''}`,
  );
  console.log('');
  console.log('kind   deliveries  expected      lost     p50 ms   p95 ms   p99 ms   max ms');
  const row = (name, lat, expected) =>
    console.log(
      `${name.padEnd(6)} ${String(lat.length).padStart(10)} ${String(expected).padStart(9)} ${String(expected - lat.length).padStart(9)} ${f(pct(lat, 50)).padStart(10)} ${f(pct(lat, 95)).padStart(8)} ${f(pct(lat, 99)).padStart(8)} ${f(lat.at(-1)).padStart(8)}`,
    );
  row('chat', chat, chatExpected);
  row('sync', sync, syncExpected);
  console.log('');
  console.log('API     conns   RSS before   RSS after  RSS/conn   heap before  heap after  heap/conn');
  apis.forEach((a, i) => {
    const b = memBefore[i];
    const c = memAfter[i];
    const n = perApi[i] + (i === 0 ? 1 : 0); // the host socket sits on the first process
    console.log(
      `api-${i + 1} ${String(n).padStart(7)} ${(b.rssKb / 1024).toFixed(1).padStart(9)} MB ${(c.rssKb / 1024).toFixed(1).padStart(8)} MB ${((c.rssKb - b.rssKb) / n).toFixed(1).padStart(6)} kB ${(b.heapUsedKb / 1024).toFixed(1).padStart(9)} MB ${(c.heapUsedKb / 1024).toFixed(1).padStart(8)} MB ${((c.heapUsedKb - b.heapUsedKb) / n).toFixed(1).padStart(6)} kB`,
    );
  });
  console.log(
    `external (Buffers, off-heap) after GC: ${apis.map((_, i) => `api-${i + 1} ${(memBefore[i].externalKb / 1024).toFixed(1)} -> ${(memAfter[i].externalKb / 1024).toFixed(1)} MB`).join(', ')}`,
  );
  const totRss = memAfter.reduce((s, m, i) => s + m.rssKb - memBefore[i].rssKb, 0);
  const totHeap = memAfter.reduce((s, m, i) => s + m.heapUsedKb - memBefore[i].heapUsedKb, 0);
  console.log(
    `all   ${String(N + 1).padStart(7)}  RSS +${(totRss / 1024).toFixed(1)} MB = ${(totRss / (N + 1)).toFixed(1)} kB/conn; heap (after GC) +${(totHeap / 1024).toFixed(1)} MB = ${(totHeap / (N + 1)).toFixed(1)} kB/conn`,
  );
  console.log('');
  if (r.chatForeign) console.log(`non-bench chat bodies received: ${r.chatForeign}`);
  if (Object.keys(r.sendErrors).length) console.log(`send errors: ${JSON.stringify(r.sendErrors)}`);
  const byCause = {};
  for (const d of r.disconnects) byCause[`:${d.port} ${d.reason}`] = (byCause[`:${d.port} ${d.reason}`] ?? 0) + 1;
  if (r.disconnects.length)
    console.log(
      `disconnects by API port and reason: ${JSON.stringify(byCause)}; first at ${r.disconnects[0].at}, last at ${r.disconnects.at(-1).at}`,
    );
  console.log(
    `disconnects during the run: ${r.disconnects.length}${r.disconnects.length ? ` ${JSON.stringify(r.disconnects.slice(0, 5))}` : ''}; still connected at the end: ${r.stillConnected}/${receivers}`,
  );
  const p99 = Math.max(pct(chat, 99), sync.length ? pct(sync, 99) : 0);
  const met = p99 < 100 && chat.length === chatExpected && sync.length === syncExpected;
  console.log(`target p99 < 100 ms with no loss: ${met ? 'met' : 'NOT met'} (worst p99 ${f(p99)} ms)`);
  for (const a of apis) if (a.proc.exitCode !== null) console.log(`${a.proc.benchName} exited with ${a.proc.exitCode} during the run`);
  driver.send({ type: 'close' });
  await new Promise((res) => (driver.exitCode !== null ? res() : driver.once('exit', res)));
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await stop();
}
process.exit(exitCode);
