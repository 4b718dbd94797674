#!/usr/bin/env node
// Socket load and API failover (issue 10, "Chaos and load"): S sockets across R rooms on A API processes
// behind a load balancer (a round-robin TCP proxy, bench/lib/round-robin-proxy.mjs, standing in for nginx),
// with chat in every room and sync commands from every room's host. Reports delivery latency (receive -
// send, one machine clock) and loss for chat and sync; then SIGKILLs one API process and reports how long
// its clients took to be back in their rooms (reconnect through the proxy + room:join acknowledged), and
// runs a second chat round to show every socket receives again.
//
//   npm run build && node bench/socket-load.mjs [--sockets=5000] [--rooms=50] [--apis=3] [--drivers=2]
//       [--messages=10] [--chat-rate=1] [--syncs=6] [--sync-rate=0.5] [--kill=1] [--profile=0]
//       [--baseline-apis=0] [--ab=0]
//
// Where the CPU goes: the traffic round prints CPU seconds per process (each API, each load driver, this
// process with the proxy, Redis, the PostgreSQL backends of the bench database) and CPU ms per 1,000
// deliveries. --profile=1 also writes a V8 CPU profile of each API over the traffic round only (inspector
// on 127.0.0.1:BENCH_INSPECT_PORT+i, default 9400; summarise with bench/profile-summary.mjs).
// A/B in one run: --baseline-apis=N runs the first N API processes from BENCH_BASELINE_ENTRY (default
// apps/api/dist-baseline/main.js, e.g. a copy of main's build: `cp -r apps/api/dist apps/api/dist-baseline`
// before building the change); the proxy spreads sockets evenly, so CPU per process compares the builds
// under the same traffic on the same loaded machine. Both builds must speak the same Redis protocol.
// --ab=1 instead runs the whole scenario twice in one run, every API on the baseline build first, then
// every API on this build (each on a fresh database and Redis prefix), and prints change/baseline ratios of
// the join phase (wall time, per-join latency, API CPU, bytes the clients received per join), the delivery
// p99s and the failover time (the baseline's clients reconnect with socket.io's defaults, as main's web
// app does): for changes to the socket protocol itself (issue 10's presence deltas), which a mixed
// cluster cannot compare.
//
// The join phase: every socket connects and joins; the bench prints its wall time, the join latency per
// socket (connect to room:join acknowledged), API CPU per join, and the socket.io bytes all clients
// received from the first connect until 3 s after the last join, per join (snapshots plus the presence
// traffic the joins caused). --profile=1 profiles the join phase too (socket-load-api-<i>-join.cpuprofile).
//
// Targets from the issue: p99 delivery under 150 ms with nothing lost; after the kill, clients back in
// their rooms within 5 s. Clients run in --drivers separate processes (bench/load-driver.mjs). Needs
// PostgreSQL and Redis as for the tests (BENCH_DATABASE_BASE_URL, REDIS_URL); the database
// reelroom_bench_load (BENCH_LOAD_DATABASE) is dropped and re-created. Not part of npm test.
import { execFile } from 'node:child_process';
import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { f, log, numberArg, pct, pool } from './lib/measure.mjs';
import { apiRequester, benchStack, DB_BASE, REDIS_URL, root } from './lib/stack.mjs';
import { roundRobinProxy } from './lib/round-robin-proxy.mjs';
import { cpuMeter, inspectorProfiler, postgresBackends, printCpu } from './lib/cpu.mjs';

const arg = numberArg;
const SOCKETS = arg('sockets', 5000);
const ROOMS = arg('rooms', 50);
const APIS = arg('apis', 3);
const DRIVERS = arg('drivers', 2);
const MESSAGES = arg('messages', 10);
const CHAT_RATE = arg('chat-rate', 1); // per room, per second
const SYNCS = arg('syncs', 6);
const SYNC_RATE = arg('sync-rate', 0.5); // per room, per second
const KILL = arg('kill', 1) > 0;
const PROFILE = arg('profile', 0) > 0;
const BASELINE_APIS = arg('baseline-apis', 0);
const AB = arg('ab', 0) > 0;
const BASELINE_ENTRY = process.env.BENCH_BASELINE_ENTRY ?? 'apps/api/dist-baseline/main.js';
const INSPECT_PORT = Number(process.env.BENCH_INSPECT_PORT ?? 9400);
for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js', ...(BASELINE_APIS > 0 || AB ? [BASELINE_ENTRY] : [])]) {
  if (!existsSync(join(root, entry))) {
    console.error(`${entry} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// BENCH_LOAD_DATABASE lets two runs (or two worktrees) share one PostgreSQL without dropping each other's.
const DATABASE = process.env.BENCH_LOAD_DATABASE ?? 'reelroom_bench_load';
const rssMb = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN) / 1024;
const profileFile = (i, baselineApis, phase) =>
  join(process.env.BENCH_PROFILE_DIR ?? root, `socket-load-api-${i + 1}${i < baselineApis ? '-baseline' : ''}-${phase}.cpuprofile`);
let current = null; // the running scenario's stack, stopped on Ctrl-C
process.on('SIGINT', () => void (current?.stop() ?? Promise.resolve()).then(() => process.exit(130)));

/**
 * One whole run (stack, rooms, joins, traffic, failover) with `baselineApis` of the APIs on the baseline
 * build, the clients reconnecting with the web app's spread-out settings or (`spread` false) socket.io's
 * defaults; returns its figures.
 */
async function scenario(label, baselineApis, spread = true) {
  const stack = benchStack('load', { database: DATABASE });
  current = stack;
  const { dir, spawnApp, waitFor } = stack;
  let proxy;
  try {
    log(
      `${label}: sockets=${SOCKETS} rooms=${ROOMS} apis=${APIS} (${baselineApis} on the baseline build) drivers=${DRIVERS}; ${cpus().length} CPUs; load ${loadavg().map(f).join(' ')}`,
    );
    stack.freshDatabase();
    const common = stack.appEnv({ LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' });
    const apiEnv = {
      ...common,
      PORT: '0',
      HOST: '127.0.0.1',
      WEB_DIST: join(dir, 'no-web'),
      SHUTDOWN_DELAY_MS: '0',
      CHAT_BURST: '100000',
      CHAT_PER_SEC: '100000',
    };
    const apis = [];
    for (let i = 0; i < APIS; i++) {
      const baseline = i < baselineApis;
      const name = `api-${i + 1}${baseline ? ' (baseline)' : ''}`;
      const execArgv = PROFILE ? [`--inspect=127.0.0.1:${INSPECT_PORT + i}`] : [];
      const proc = spawnApp(baseline ? BASELINE_ENTRY : 'apps/api/dist/main.js', apiEnv, `api-${i + 1}`, execArgv);
      apis.push({ proc, name, port: (await waitFor(proc, 'listening')).port });
    }
    const backends = apis.map((a) => a.port);
    proxy = await roundRobinProxy(backends);
    const base = `http://127.0.0.1:${proxy.port}`;
    log(`API processes ${apis.map((a) => `:${a.port}`).join(' ')} behind the proxy on :${proxy.port}`);
    const req = apiRequester(base);

    const host = await req('POST', '/api/auth/register', {
      email: `load${Date.now()}@example.test`,
      password: 'correct horse battery',
      displayName: 'Host',
    });
    const rooms = await pool(ROOMS, 10, (i) => req('POST', '/api/rooms', { name: `Load ${i}` }, host.accessToken));

    // A tiny ready video in every room, so hosts can send sync commands.
    const mediaIds = {};
    if (SYNCS > 0) {
      const t = performance.now();
      const clip = join(dir, 'clip.mp4');
      await promisify(execFile)(FFMPEG, [
        ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
        ...['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
        ...['-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', clip],
      ]);
      await Promise.all([stack.startTranscoder({}, 'transcoder-1'), stack.startTranscoder({}, 'transcoder-2')]);
      // On a busy machine an upload's transaction may time out (a 500, nothing kept): try it again.
      const uploads = await pool(ROOMS, 5, async (i) => {
        for (let attempt = 1; ; attempt++) {
          const form = new FormData();
          form.append('file', await openAsBlob(clip), 'clip.mp4');
          try {
            return await req('POST', `/api/rooms/${rooms[i].id}/media`, form, host.accessToken);
          } catch (err) {
            if (attempt >= 5 || !/-> 5\d\d/.test(String(err))) throw err;
            await sleep(1000 * attempt);
          }
        }
      });
      await pool(ROOMS, 10, async (i) => {
        for (;;) {
          // A status poll may fail under load (the database pool busy with the transcoders' writes): poll again.
          const m = await req('GET', `/api/media/${uploads[i].id}`, undefined, host.accessToken).catch(() => ({ status: 'unknown' }));
          if (m.status === 'ready') return void (mediaIds[rooms[i].id] = m.id);
          if (m.status === 'failed' || performance.now() - t > 600_000) throw new Error(`media in room ${i}: ${m.status}`);
          await sleep(500);
        }
      });
      log(`${ROOMS} videos ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }

    // Guests: SOCKETS - ROOMS (each room's host socket is one of the S).
    let t = performance.now();
    const guestCount = SOCKETS - (SYNCS > 0 ? ROOMS : 0);
    const guests = await pool(guestCount, 50, async (i) => {
      const roomId = rooms[i % ROOMS].id;
      const g = await req('POST', `/api/rooms/${roomId}/guest`, { displayName: `g${i}` });
      return { idx: i, token: g.accessToken, roomId, role: i < ROOMS ? 'sender' : 'viewer' };
    });
    log(`${guestCount} guest sessions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const all = [
      ...guests,
      ...(SYNCS > 0 ? rooms.map((r, i) => ({ idx: guestCount + i, token: host.accessToken, roomId: r.id, role: 'host' })) : []),
    ];
    const roomSize = {};
    for (const c of all) roomSize[c.roomId] = (roomSize[c.roomId] ?? 0) + 1;

    const drivers = [];
    for (let d = 0; d < DRIVERS; d++) {
      const proc = spawnApp('bench/load-driver.mjs', {}, `driver-${d + 1}`);
      proc.setMaxListeners(0); // each status poll waits on the driver's exit too
      await waitFor(proc, 'ready');
      drivers.push(proc);
    }
    const ask = (type, payload, reply = type, timeoutMs = 900_000) =>
      Promise.all(
        drivers.map((d, i) => {
          const answer = waitFor(d, reply, timeoutMs);
          d.send({ type, ...(typeof payload === 'function' ? payload(i) : payload) });
          return answer;
        }),
      );

    const apiCpu = cpuMeter(Object.fromEntries(apis.map((a) => [a.name, () => [a.proc.pid]])));
    const joinProfilers = PROFILE ? await Promise.all(apis.map((_, i) => inspectorProfiler(INSPECT_PORT + i))) : [];
    await Promise.all(joinProfilers.map((p) => p.start()));
    apiCpu.start();
    t = performance.now();
    const joined = await ask(
      'connect',
      (i) => ({ url: base, clients: all.filter((_, k) => k % DRIVERS === i), concurrency: 100, spread }),
      'joined',
    );
    const joinS = (performance.now() - t) / 1000;
    const ok = joined.reduce((s, j) => s + j.ok, 0);
    log(
      `connected and joined: ${ok}/${all.length} in ${joinS.toFixed(1)} s${ok < all.length ? `; ${JSON.stringify(joined.map((j) => j.errors))}` : ''}`,
    );
    await sleep(3000); // presence traffic from the joins settles
    const joinCpu = apiCpu.stop();
    for (const [i, p] of joinProfilers.entries()) await p.stop(profileFile(i, baselineApis, 'join'));
    const joinLat = joined.flatMap((j) => j.joinMs).sort((a, b) => a - b);
    const joinCpuS = joinCpu.rows.reduce((s, r) => s + r.seconds, 0);
    const bytes = (await ask('counters', {})).reduce((s, c) => s + c.bytes, 0);
    const m = {
      joinS,
      joinP50: pct(joinLat, 50),
      joinP99: pct(joinLat, 99),
      cpuMsPerJoin: (1000 * joinCpuS) / ok,
      kbPerJoin: bytes / 1024 / ok,
    };
    console.log(
      `join phase: per socket p50 ${f(m.joinP50)} ms, p99 ${f(m.joinP99)} ms; API CPU ${joinCpuS.toFixed(1)} s (${f(m.cpuMsPerJoin)} ms per join); clients received ${f(bytes / 1024 / 1024)} MiB (${f(m.kbPerJoin)} KiB per join) until 3 s after the last join`,
    );
    const rssAfterJoin = apis.map((a) => rssMb(a.proc.pid));

    const { Redis } = createRequire(join(root, 'apps/api/package.json'))('ioredis');
    const redisInfo = new Redis(REDIS_URL);
    const redisPid = Number((await redisInfo.info('server')).match(/process_id:(\d+)/)?.[1]);
    redisInfo.disconnect();
    const meter = cpuMeter({
      ...Object.fromEntries(apis.map((a) => [a.name, () => [a.proc.pid]])),
      ...Object.fromEntries(drivers.map((d, i) => [`driver-${i + 1}`, () => [d.pid]])),
      'bench + proxy': () => [process.pid],
      'redis (shared)': () => (redisPid ? [redisPid] : []),
      'postgres backends': () => postgresBackends(DB_BASE, DATABASE),
    });

    const round = async (roundLabel, messages, syncs) => {
      const results = await ask(
        'run',
        { round: roundLabel, messages, chatPerSec: CHAT_RATE, syncs, syncPerSec: SYNC_RATE, mediaIds, settleMs: 3000 },
        'result',
      );
      const chat = results.flatMap((r) => r.chatLatencies).sort((a, b) => a - b);
      let chatExpected = 0;
      for (const r of results) for (const [room, n] of Object.entries(r.chatSent)) chatExpected += n * roomSize[room];
      const syncSent = Object.assign({}, ...results.map((r) => r.syncSent));
      const sync = [];
      let syncExpected = 0;
      for (const [key, sentAt] of Object.entries(syncSent)) {
        syncExpected += roomSize[key.split(':')[0]] - 1;
        for (const r of results) for (const at of r.syncRecv[key] ?? []) sync.push(at - sentAt);
      }
      sync.sort((a, b) => a - b);
      const errors = Object.assign({}, ...results.map((r) => r.sendErrors));
      console.log(`\n${roundLabel}: load ${loadavg().map(f).join(' ')}`);
      console.log('kind   deliveries  expected      lost     p50 ms   p95 ms   p99 ms   max ms');
      const row = (name, lat, expected) =>
        console.log(
          `${name.padEnd(6)} ${String(lat.length).padStart(10)} ${String(expected).padStart(9)} ${String(expected - lat.length).padStart(9)} ${f(pct(lat, 50)).padStart(10)} ${f(pct(lat, 95)).padStart(8)} ${f(pct(lat, 99)).padStart(8)} ${f(lat.at(-1)).padStart(8)}`,
        );
      row('chat', chat, chatExpected);
      if (syncs) row('sync', sync, syncExpected);
      m[`${roundLabel === 'traffic' ? 'traffic' : 'afterKill'}ChatP99`] = pct(chat, 99);
      if (syncs) m.trafficSyncP99 = pct(sync, 99);
      if (Object.keys(errors).length) console.log(`send errors: ${JSON.stringify(errors)}`);
      const p99 = Math.max(pct(chat, 99), sync.length ? pct(sync, 99) : 0);
      const met = p99 < 150 && chat.length === chatExpected && sync.length === syncExpected;
      console.log(`target p99 < 150 ms with nothing lost: ${met ? 'met' : 'NOT met'} (worst p99 ${f(p99)} ms)`);
      return chat.length + sync.length;
    };
    const profilers = PROFILE ? await Promise.all(apis.map((_, i) => inspectorProfiler(INSPECT_PORT + i))) : [];
    await Promise.all(profilers.map((p) => p.start()));
    meter.start();
    const delivered = await round('traffic', MESSAGES, SYNCS);
    const cpu = meter.stop();
    for (const [i, p] of profilers.entries()) {
      const file = profileFile(i, baselineApis, 'traffic');
      await p.stop(file);
      log(`profile of ${apis[i].name} over the traffic round: ${file}`);
    }
    console.log('');
    printCpu(cpu, delivered);
    console.log('(other helpers share this machine and this Redis: its figure includes their traffic)');
    console.log(
      `API RSS after joins: ${apis.map((a, i) => `api-${i + 1} ${f(rssAfterJoin[i])} MB`).join(', ')} (${f((rssAfterJoin.reduce((s, x) => s + x, 0) * 1024) / all.length)} kB per socket, all in)`,
    );

    if (KILL) {
      const victim = apis[0];
      await ask('kill-mark', {}, 'marked');
      const killedAt = performance.now();
      victim.proc.kill('SIGKILL');
      backends.splice(backends.indexOf(victim.port), 1); // the balancer's health check takes it out
      log(`SIGKILL api-1 (:${victim.port})`);
      let status;
      for (;;) {
        await sleep(500);
        status = await ask('rejoin-status', {});
        const dropped = status.reduce((s, x) => s + x.dropped, 0);
        const out = status.reduce((s, x) => s + x.out, 0);
        if ((dropped > 0 && out === 0) || performance.now() - killedAt > 60_000) break;
      }
      const back = status.flatMap((s) => s.back).sort((a, b) => a - b);
      const dropped = status.reduce((s, x) => s + x.dropped, 0);
      const out = status.reduce((s, x) => s + x.out, 0);
      console.log(`\nfailover: ${dropped} sockets dropped with api-1; ${back.length} back in their rooms, ${out} still out`);
      console.log(
        `  back in room after: p50 ${f(pct(back, 50) / 1000)} s, p99 ${f(pct(back, 99) / 1000)} s, max ${f(back.at(-1) / 1000)} s`,
      );
      console.log(`  target: every client back within 5 s: ${out === 0 && back.at(-1) <= 5000 ? 'met' : 'NOT met'}`);
      m.failoverP99 = pct(back, 99);
      m.failoverMax = back.at(-1);
      await round('after the kill', Math.min(MESSAGES, 3), 0);
    }
    drivers.forEach((d) => d.send({ type: 'close' }));
    await Promise.all(drivers.map((d) => new Promise((res) => (d.exitCode !== null ? res() : d.once('exit', res)))));
    return m;
  } finally {
    await proxy?.close();
    await stack.stop({ dropDatabase: true });
  }
}

const ratioRows = [
  ['join phase wall s', 'joinS'],
  ['join latency p50 ms', 'joinP50'],
  ['join latency p99 ms', 'joinP99'],
  ['API CPU ms per join', 'cpuMsPerJoin'],
  ['KiB received per join', 'kbPerJoin'],
  ['chat p99 ms', 'trafficChatP99'],
  ['sync p99 ms', 'trafficSyncP99'],
  ['failover p99 ms', 'failoverP99'],
  ['failover max ms', 'failoverMax'],
];

let exitCode = 0;
try {
  if (AB) {
    // The baseline as main ships it: its API build and the web app's former reconnection settings.
    const before = await scenario('baseline build', APIS, false);
    const after = await scenario('this build', 0);
    console.log(`\nA/B in one run (baseline: ${BASELINE_ENTRY}); load now ${loadavg().map(f).join(' ')}`);
    console.log('figure                      baseline    change   change/baseline');
    for (const [name, key] of ratioRows)
      console.log(
        `${name.padEnd(24)} ${f(before[key]).padStart(11)} ${f(after[key]).padStart(9)} ${(after[key] / before[key]).toFixed(2).padStart(12)}`,
      );
  } else await scenario('run', BASELINE_APIS);
} catch (err) {
  console.error(err);
  exitCode = 1;
}
process.exit(exitCode);
