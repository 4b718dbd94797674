#!/usr/bin/env node
// Chaos: SIGKILL a random transcoder every few seconds while N uploads transcode across W workers (issue 10).
// Each killed worker is replaced at once (a supervisor restarting it), so W stay running. At the end every
// media must be ready with complete HLS, exactly one media row and one output folder each, and no stray
// work files anywhere. Prints the kills, each job's attempts and stalls, and the wall time.
//
//   npm run build && node bench/chaos-transcoders.mjs [--uploads=20] [--workers=3] [--kill-every=5] [--seconds=8]
//
// WORKER_LOCK_MS=3000 (as in test/integration/faults.test.ts) makes a killed worker's job come back after
// about 3 s instead of 30 s. Needs PostgreSQL and Redis as for the tests (BENCH_DATABASE_BASE_URL,
// REDIS_URL); the database reelroom_bench_chaos is dropped and re-created. Not part of npm test.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiRequester, benchStack } from './lib/stack.mjs';

const run = promisify(execFile);
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const uploads = arg('uploads', 20);
const workers = arg('workers', 3);
const killEverySec = arg('kill-every', 5);
const seconds = arg('seconds', 8);
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

const cache = join(tmpdir(), 'reelroom-bench-sources');
mkdirSync(cache, { recursive: true });
const source = join(cache, `chaos-720p30-${seconds}s.mp4`);
if (!existsSync(source) || statSync(source).size === 0) {
  await run(FFMPEG, [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', source],
  ]);
}

const stack = benchStack('chaos', { database: 'reelroom_bench_chaos' });
process.on('SIGINT', () => void stack.stop().then(() => process.exit(130)));
stack.freshDatabase();
const workerEnv = { WORKER_LOCK_MS: '3000' };
let failures = 0;
const fail = (msg) => {
  failures++;
  console.log(`FAIL ${msg}`);
};

try {
  const { baseUrl } = await stack.startApi();
  const api = apiRequester(baseUrl);
  let alive = [];
  let started = 0;
  const startWorker = async () => {
    const t = await stack.startTranscoder(workerEnv, `transcoder-${started++}`);
    alive.push(t);
  };
  for (let i = 0; i < workers; i++) await startWorker();

  const { accessToken: token } = await api('POST', '/api/auth/register', {
    email: `chaos${Date.now()}@example.test`,
    password: 'correct horse battery',
    displayName: 'Chaos',
  });
  const room = await api('POST', '/api/rooms', { name: 'Chaos' }, token);
  const t0 = performance.now();
  const ids = [];
  for (let i = 0; i < uploads; i++) {
    const form = new FormData();
    form.append('file', await openAsBlob(source), `chaos-${i}.mp4`);
    ids.push((await api('POST', `/api/rooms/${room.id}/media`, form, token)).id);
  }

  // Kill until every media has settled (ready or failed).
  const kills = [];
  const settled = async () => {
    const list = await api('GET', `/api/rooms/${room.id}/media`, undefined, token);
    return list.filter((m) => m.status === 'ready' || m.status === 'failed').length;
  };
  let done = 0;
  let nextKill = performance.now() + killEverySec * 1000;
  while ((done = await settled()) < uploads) {
    if (performance.now() - t0 > 30 * 60_000) throw new Error('not settled after 30 min');
    if (performance.now() >= nextKill) {
      const victim = alive[Math.floor(Math.random() * alive.length)];
      alive = alive.filter((t) => t !== victim);
      victim.kill('SIGKILL');
      kills.push({ at: ((performance.now() - t0) / 1000).toFixed(1), worker: victim.benchName, settled: done });
      await startWorker();
      nextKill = performance.now() + killEverySec * 1000;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const wallSec = (performance.now() - t0) / 1000;

  // Outcomes, checked as a player and an operator would.
  const list = await api('GET', `/api/rooms/${room.id}/media`, undefined, token);
  if (list.length !== uploads) fail(`${list.length} media rows for ${uploads} uploads`);
  for (const m of list) {
    if (m.status !== 'ready') {
      fail(`${m.id} ${m.status}: ${m.error}`);
      continue;
    }
    const get = (p) => fetch(baseUrl + p, { headers: { authorization: `Bearer ${token}` } });
    const master = await (await get(m.playbackUrl)).text();
    const rungs = master.split('\n').filter((l) => l && !l.startsWith('#'));
    if (rungs.length === 0) fail(`${m.id}: empty master`);
    for (const uri of rungs) {
      const pl = await (await get(`/media/${m.id}/${uri}`)).text();
      const total = [...pl.matchAll(/#EXTINF:([\d.]+)/g)].reduce((s, x) => s + Number(x[1]), 0);
      if (!pl.includes('#EXT-X-ENDLIST') || Math.abs(total - seconds) > 0.5)
        fail(`${m.id} ${uri}: ${total.toFixed(2)} s, ended=${pl.includes('ENDLIST')}`);
    }
  }
  const mediaRoot = join(stack.dir, 'media');
  const folders = readdirSync(mediaRoot).filter((n) => !n.startsWith('.'));
  if (folders.length !== uploads) fail(`${folders.length} media folders for ${uploads} uploads`);
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => [join(d, e.name), ...(e.isDirectory() ? walk(join(d, e.name)) : [])]);
  const strays = folders.flatMap((f) => walk(join(mediaRoot, f))).filter((p) => /\.tmp|\.old-|\.partial/.test(p));
  if (strays.length) fail(`stray work files: ${strays.slice(0, 5).join(', ')}`);

  // Completed jobs are removed from Redis (removeOnComplete), so starts are counted from the workers' logs.
  const logs = readdirSync(stack.dir)
    .filter((f) => f.startsWith('transcoder-') && f.endsWith('.log'))
    .map((f) => readFileSync(join(stack.dir, f), 'utf8'))
    .join('\n')
    .split('\n')
    .filter((l) => l.includes('"transcode started"'));
  const starts = ids.map((id) => logs.filter((l) => l.includes(id)).length);
  if (starts.some((n) => n < 1)) fail('a ready media with no "transcode started" line');

  console.log(
    `\n${uploads} uploads of a ${seconds} s 720p clip, ${workers} workers, SIGKILL every ${killEverySec} s (${kills.length} kills)`,
  );
  console.log(`wall time upload start -> all settled: ${wallSec.toFixed(1)} s`);
  console.log(`jobs started more than once: ${starts.filter((n) => n > 1).length}; most starts of one job: ${Math.max(...starts)}`);
  console.log(
    `starts in total: ${starts.reduce((a, b) => a + b, 0)} for ${uploads} jobs (each extra start is a job taken over after a kill)`,
  );
  console.log(
    `ready ${list.filter((m) => m.status === 'ready').length}/${uploads}, media rows ${list.length}, folders ${folders.length}, stray files ${strays.length}`,
  );
  console.log(failures === 0 ? 'OK: every upload ended ready and correct' : `${failures} problem(s) above`);
} finally {
  await stack.stop({ dropDatabase: true });
}
process.exit(failures === 0 ? 0 : 1);
