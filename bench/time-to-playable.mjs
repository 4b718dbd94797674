#!/usr/bin/env node
// Time to playable: "upload finished -> the stream can start playing" (issue 4; target < 3 s whatever the
// length). Starts the BUILT api and transcoder as child processes (like test/support/stack.ts) on a temp
// MEDIA_ROOT, a private Redis key prefix and their own database, uploads a 10 s and a 10 min 1080p30
// source over HTTP, and measures from the moment the upload request completes (202 received) to the
// moment the master playlist AND the first segment of every rung can be fetched over HTTP.
//
//   npm run build && node bench/time-to-playable.mjs [--lengths=10,600] [--runs=1]
//
// Needs PostgreSQL and Redis as for the tests: BENCH_DATABASE_BASE_URL (default
// postgresql://reelroom:reelroom@127.0.0.1:5432; the database reelroom_bench_ttp is dropped and re-created)
// and REDIS_URL (default redis://127.0.0.1:6379). Sources are generated once with lavfi (testsrc2 + sine,
// x264 ultrafast) and cached in $TMPDIR/reelroom-bench-sources. Not part of npm test.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openAsBlob, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchStack, root } from './lib/stack.mjs';

const run = promisify(execFile);
for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js']) {
  if (!existsSync(join(root, entry))) {
    console.error(`${entry} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const lengths = arg('lengths', '10,600').split(',').map(Number);
const runs = Number(arg('runs', '1'));
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

// --- sources -----------------------------------------------------------------------------------------
const cache = join(tmpdir(), 'reelroom-bench-sources');
mkdirSync(cache, { recursive: true });
async function source(seconds) {
  const out = join(cache, `src-1080p30-${seconds}s.mp4`);
  if (existsSync(out) && statSync(out).size > 0) return out;
  const t = Date.now();
  process.stdout.write(`generating ${seconds} s 1080p30 source... `);
  await run(
    FFMPEG,
    [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1920x1080:rate=30',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '30',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      '-movflags',
      '+faststart',
      `${out}.part.mp4`,
    ],
    { maxBuffer: 1 << 20 },
  );
  execFileSync('mv', [`${out}.part.mp4`, out]);
  console.log(`${((Date.now() - t) / 1000).toFixed(1)} s, ${(statSync(out).size / 1e6).toFixed(1)} MB`);
  return out;
}

// --- stack -------------------------------------------------------------------------------------------
const stack = benchStack('ttp', { database: 'reelroom_bench_ttp' });
const stop = () => stack.stop();
process.on('SIGINT', () => void stop().then(() => process.exit(130)));
stack.freshDatabase();

const results = [];
try {
  const { baseUrl: base } = await stack.startApi();
  await stack.startTranscoder();

  let token;
  const req = (method, path, body) => {
    const headers = { authorization: `Bearer ${token}` };
    if (body && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    return fetch(base + path, { method, headers, body: body instanceof FormData ? body : body && JSON.stringify(body) });
  };
  const auth = await (
    await req('POST', '/api/auth/register', {
      email: `bench${Date.now()}@example.test`,
      password: 'correct horse battery',
      displayName: 'Bench',
    })
  ).json();
  token = auth.accessToken;
  const room = await (await req('POST', '/api/rooms', { name: 'Bench' })).json();

  const sources = [];
  for (const s of lengths.sort((a, b) => a - b)) sources.push([s, await source(s)]);

  for (const [seconds, file] of sources) {
    for (let i = 0; i < runs; i++) {
      const form = new FormData();
      form.append('file', await openAsBlob(file), `bench-${seconds}s.mp4`);
      const res = await req('POST', `/api/rooms/${room.id}/media`, form);
      const tUpload = performance.now();
      if (res.status !== 202) throw new Error(`upload -> ${res.status}: ${await res.text()}`);
      const media = await res.json();

      // Poll what a player fetches: master, every rung's playlist, every rung's first segment.
      let tPlayable;
      let rungs = 0;
      for (;;) {
        const master = await req('GET', `/media/${media.id}/master.m3u8`);
        if (master.status === 200) {
          const uris = (await master.text()).split('\n').filter((l) => l && !l.startsWith('#'));
          let ok = uris.length > 0;
          for (const uri of uris) {
            if (!ok) break;
            const pl = await req('GET', `/media/${media.id}/${uri}`);
            const seg = pl.status === 200 ? (await pl.text()).split('\n').find((l) => l && !l.startsWith('#')) : undefined;
            const segRes = seg ? await req('GET', `/media/${media.id}/${uri.replace(/[^/]+$/, '')}${seg}`) : undefined;
            if (segRes) await segRes.arrayBuffer();
            ok = segRes?.status === 200;
          }
          if (ok) {
            tPlayable = performance.now();
            rungs = uris.length;
            break;
          }
        } else await master.arrayBuffer();
        if (performance.now() - tUpload > 120_000) throw new Error('not playable after 120 s');
        await new Promise((r) => setTimeout(r, 25));
      }
      const atPlayable = await (await req('GET', `/api/media/${media.id}`)).json();
      console.log(`${seconds} s source: playable ${((tPlayable - tUpload) / 1000).toFixed(2)} s after the upload completed`);
      // Then wait for the end, so runs do not overlap; a long source's full transcode is not waited for
      // after the last run (pass --wait-ready to see its total time).
      const last = seconds === sources.at(-1)[0] && i === runs - 1;
      let done = atPlayable;
      for (;;) {
        if (last && !process.argv.includes('--wait-ready')) break;
        done = await (await req('GET', `/api/media/${media.id}`)).json();
        if (done.status === 'ready' || done.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const tReady = done.status === 'ready' ? performance.now() : Number.NaN;
      const r = {
        source: `${seconds} s 1080p30`,
        playableSec: +((tPlayable - tUpload) / 1000).toFixed(2),
        statusAtPlayable: `${atPlayable.status}${atPlayable.playable ? '+playable' : ''} ${Math.round(atPlayable.progress)}%`,
        readySec: Number.isNaN(tReady) ? null : +((tReady - tUpload) / 1000).toFixed(1),
        rungs,
        final: done.status,
      };
      results.push(r);
      console.log(JSON.stringify(r));
    }
  }
} finally {
  await stop();
}

console.log(`\nmachine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average before the run is not controlled.`);
console.log('source              upload done -> master + first segment of every rung served   -> ready');
for (const r of results)
  console.log(
    `${r.source.padEnd(20)}${String(r.playableSec).padStart(6)} s (${r.rungs} rungs; row: ${r.statusAtPlayable})${''.padEnd(10)}${r.readySec === null ? '  (not waited for)' : `${String(r.readySec).padStart(7)} s`}`,
  );
const worst = Math.max(...results.map((r) => r.playableSec));
console.log(`\nworst time to playable: ${worst} s (target < 3 s): ${worst < 3 ? 'met' : 'NOT met'}`);
