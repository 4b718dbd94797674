#!/usr/bin/env node
// Chunked encoding (issue 11): one worker pinned to one core against two workers each pinned to its own
// core, on the same source, in one run; the output timeline and quality against a single pass; and a model
// from the measured per-chunk times that predicts 4, 8 and 16 workers, checked against the 1 and 2 worker runs.
//
//   npm run build && node bench/chunked.mjs [--seconds=600] [--height=1080] [--chunk=40]
//
// --seconds picks the source's length and --height the top of the ladder (1080: the full 1080/720/480
// ladder), so a short source keeps the 1080p ladder: `--seconds=20 --chunk=10` checks the bench and its
// joins in minutes. Every phase (the single pass, the 1- and 2-worker runs, the PSNR checks) grows with
// --seconds: measured on the 2-core dev machine at load 18-32, 20 s at 1080p took 549 s in all (single pass
// 190 s, 1 worker 117 s, 2 workers 119 s, checks 107 s); the full 600 s run took 52 min on the same machine
// with nothing else running (2026-12-07: 1.86x; docs/OPERATIONS.md). A --seconds=60 run (5 min) first
// calibrates the estimate.
//
// Workers are child processes (`taskset -c <core>`, TRANSCODE_THREADS=1 each) running ChunkedTranscoder's
// encodePart from apps/transcoder/dist, handed parts in queue order (audio, chunk 0, 1, ...) by this
// process as they become free: what BullMQ does with the real workers, without Redis.
import { execFile, fork, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../apps/transcoder/dist');
if (!existsSync(join(dist, 'pipeline/chunked-transcode.js'))) {
  console.error('apps/transcoder/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe';
const LIMITS = { maxDurationSec: 86_400, maxWidth: 4096, maxHeight: 4096, maxFps: 120, maxStreams: 8, timeoutMs: 6 * 3_600_000 };
/** The transcoder's default first segment (FIRST_SEGMENT_SEC, apps/transcoder/src/ffmpeg/segment-grid.ts). */
const FIRST_SEGMENT_SEC = 1;
const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};

// ---- worker mode: encode the parts this process is handed -------------------------------------------------
if (process.argv[2] === '--worker') {
  const { ChunkedTranscoder } = await import(join(dist, 'pipeline/chunked-transcode.js'));
  const { InProcessLock } = await import(join(dist, 'pipeline/publish-lock.js'));
  const { LocalDiskStorage } = await import(join(dist, 'storage/local-disk.storage.js'));
  const { FfmpegRunner } = await import(join(dist, 'ffmpeg/ffmpeg-runner.js'));
  const { probeMedia } = await import(join(dist, 'ffmpeg/probe.js'));
  const { pino } = await import('pino');
  const [root, source, chunkSec, maxHeight] = process.argv.slice(3);
  const chunked = new ChunkedTranscoder({
    storage: new LocalDiskStorage(root),
    runner: new FfmpegRunner(),
    probe: probeMedia,
    ffmpegPath: FFMPEG,
    ffprobePath: FFPROBE,
    // Without Redis here the workers' interim publications may interleave; that only matters to a player
    // watching during the run: the assembly rewrites every playlist from the finished chunks.
    lock: new InProcessLock(),
    logger: pino({ level: 'warn' }),
  });
  process.on('message', async ({ part }) => {
    const t = performance.now();
    await chunked.encodePart({
      sourcePath: source,
      outKey: 'chunked',
      part,
      maxHeight: Number(maxHeight),
      chunkSec: Number(chunkSec),
      firstSegmentSec: FIRST_SEGMENT_SEC,
      limits: LIMITS,
      threads: 1,
      niceness: 0,
      publishPollMs: 5_000,
    });
    process.send({ part, ms: performance.now() - t });
  });
  process.send({ ready: true });
  await new Promise(() => {});
}

// ---- driver ----------------------------------------------------------------------------------------------
const run = promisify(execFile);
const seconds = arg('seconds', 600);
const height = arg('height', 1080);
const chunkSec = arg('chunk', 40);
const width = Math.round((height * 16) / 9 / 2) * 2;
const cores = cpus().length;
if (cores < 2) console.warn('fewer than 2 cores: the 2-worker run shares one core');
const work = await mkdtemp(join(tmpdir(), 'reelroom-chunked-bench-'));
process.on('exit', () => void rm(work, { recursive: true, force: true }));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`machine: ${cores} x ${cpus()[0]?.model ?? 'cpu'}; load before: ${load()}`);
console.log(`source: ${seconds} s ${width}x${height}p30 + AAC (lavfi); chunks of ${chunkSec} s; ladder up to ${height}`);

const source = join(work, 'source.mp4');
await run(FFMPEG, [
  ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
  ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
  ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-c:a', 'aac', '-movflags', '+faststart', source],
]);

const { ChunkedTranscoder } = await import(join(dist, 'pipeline/chunked-transcode.js'));
const { InProcessLock } = await import(join(dist, 'pipeline/publish-lock.js'));
const { LocalDiskStorage } = await import(join(dist, 'storage/local-disk.storage.js'));
const { FfmpegRunner } = await import(join(dist, 'ffmpeg/ffmpeg-runner.js'));
const { probeMedia } = await import(join(dist, 'ffmpeg/probe.js'));
const { chunkSpans } = await import(join(dist, 'ffmpeg/chunking.js'));
const { pino } = await import('pino');
const info = await probeMedia({ ffprobePath: FFPROBE, sourcePath: source, timeoutMs: 60_000 });
const spans = chunkSpans(info.durationSec, chunkSec, FIRST_SEGMENT_SEC);
const parts = ['audio', ...spans.map((s) => s.index)];

/** The single pass, pinned to one core: the reference for the timeline and the quality. */
async function singlePass(root) {
  const t = performance.now();
  await new Promise((resolve, reject) => {
    const code = `
      const { transcodeToHls } = await import(${JSON.stringify(join(dist, 'pipeline/transcode-to-hls.js'))});
      await transcodeToHls({ sourcePath: ${JSON.stringify(source)}, outDir: ${JSON.stringify(join(root, 'single'))},
        ffmpegPath: ${JSON.stringify(FFMPEG)}, ffprobePath: ${JSON.stringify(FFPROBE)}, maxHeight: ${height}, threads: 1,
        niceness: 0, limits: ${JSON.stringify(LIMITS)} });`;
    const p = spawn('taskset', ['-c', '0', process.execPath, '--input-type=module', '-e', code], { stdio: 'inherit' });
    p.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`single pass exited ${c}`))));
  });
  return (performance.now() - t) / 1000;
}

/** `workers` processes, worker i pinned to core i, taking parts in order as they become free; then the assembly. */
async function chunkedRun(root, workers) {
  const t0 = performance.now();
  const procs = await Promise.all(
    Array.from(
      { length: workers },
      (_, i) =>
        new Promise((resolve) => {
          const p = fork(fileURLToPath(import.meta.url), ['--worker', root, source, String(chunkSec), String(height)], {
            execPath: 'taskset',
            execArgv: ['-c', String(i % cores), process.execPath],
            stdio: 'inherit',
          });
          p.once('message', () => resolve(p));
        }),
    ),
  );
  const queue = [...parts];
  const times = {};
  await Promise.all(
    procs.map(
      (p) =>
        new Promise((resolve) => {
          const next = () => {
            const part = queue.shift();
            if (part === undefined) return resolve();
            p.send({ part });
          };
          p.on('message', (m) => {
            times[m.part] = m.ms / 1000;
            next();
          });
          next();
        }),
    ),
  );
  for (const p of procs) p.kill();
  const tAssemble = performance.now();
  const chunked = new ChunkedTranscoder({
    storage: new LocalDiskStorage(root),
    runner: new FfmpegRunner(),
    probe: probeMedia,
    ffmpegPath: FFMPEG,
    ffprobePath: FFPROBE,
    lock: new InProcessLock(),
    logger: pino({ level: 'warn' }),
  });
  await chunked.assemble({
    sourcePath: source,
    outKey: 'chunked',
    maxHeight: height,
    chunkSec,
    firstSegmentSec: FIRST_SEGMENT_SEC,
    limits: LIMITS,
    threads: 1,
    niceness: 0,
  });
  const assembleSec = (performance.now() - tAssemble) / 1000;
  return { wall: (performance.now() - t0) / 1000, times, assembleSec };
}

/** Greedy list scheduling in queue order, as BullMQ hands parts to free workers, plus the assembly. */
function predict(times, workers, assembleSec) {
  const free = Array(workers).fill(0);
  for (const part of parts) {
    const i = free.indexOf(Math.min(...free));
    free[i] += times[part];
  }
  return Math.max(...free) + assembleSec;
}

async function keyframes(rungDir) {
  const playlist = readFileSync(join(rungDir, 'index.m3u8'), 'utf8');
  const { stdout } = await run(
    FFPROBE,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-skip_frame',
      'nokey',
      '-show_entries',
      'frame=pts_time',
      '-of',
      'csv=p=0',
      join(rungDir, 'index.m3u8'),
    ],
    { maxBuffer: 64 << 20 },
  );
  // Only the time: frames that carry side data (x264's settings SEI at each chunk start) print more fields,
  // and a line of their own that is empty once cut to the time.
  return {
    playlist,
    keys: stdout
      .trim()
      .split('\n')
      .map((l) => l.split(',')[0])
      .filter((l) => l !== '')
      .join('\n'),
  };
}

async function psnr(rungDir, w, h) {
  const { stderr } = await run(
    FFMPEG,
    [
      ...['-hide_banner', '-nostdin', '-i', join(rungDir, 'index.m3u8'), '-i', source],
      ...['-lavfi', `[0:v]setpts=PTS-STARTPTS[out];[1:v]scale=${w}:${h},setpts=PTS-STARTPTS[ref];[out][ref]psnr`, '-f', 'null', '-'],
    ],
    { maxBuffer: 64 << 20 },
  );
  return Number(/average:([\d.]+)/.exec(stderr)?.[1]);
}

const bytesOf = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.m4s'))
    .reduce((t, f) => t + statSync(join(dir, f)).size, 0);

const one = await mkdtemp(join(work, 'w1-'));
const two = await mkdtemp(join(work, 'w2-'));
const singleSec = await singlePass(one);
console.log(`single pass, 1 core: ${singleSec.toFixed(1)} s wall (load ${load()})`);
const r1 = await chunkedRun(one, 1);
console.log(`chunked, 1 worker on 1 core: ${r1.wall.toFixed(1)} s wall (load ${load()})`);
const r2 = await chunkedRun(two, 2);
console.log(`chunked, 2 workers on 2 cores: ${r2.wall.toFixed(1)} s wall (load ${load()})`);
console.log(`speed-up 1 -> 2 workers: ${(r1.wall / r2.wall).toFixed(2)}x (target >= 1.8x)`);

const rungs = readdirSync(join(one, 'single')).filter((d) => existsSync(join(one, 'single', d, 'iframes.m3u8')));
let identical = true;
for (const rung of rungs) {
  const a = await keyframes(join(one, 'single', rung));
  const b = await keyframes(join(two, 'chunked', rung));
  const same = a.playlist === b.playlist && a.keys === b.keys;
  identical &&= same;
  if (!same) {
    const [x, y] = a.playlist === b.playlist ? [a.keys.split('\n'), b.keys.split('\n')] : [a.playlist.split('\n'), b.playlist.split('\n')];
    const at = x.findIndex((l, i) => l !== y[i]);
    console.log(
      `${rung}: first difference in the ${a.playlist === b.playlist ? 'keyframe times' : 'playlist'}, line ${at}: single "${x[at]}" vs chunked "${y[at]}"`,
    );
  }
  const master = readFileSync(join(one, 'single', 'master.m3u8'), 'utf8');
  const res = new RegExp(`RESOLUTION=(\\d+)x(\\d+)[^\\n]*\\n${rung}/index.m3u8`).exec(master);
  const [w, h] = [Number(res?.[1]), Number(res?.[2])];
  const [pSingle, pChunked] = [await psnr(join(one, 'single', rung), w, h), await psnr(join(two, 'chunked', rung), w, h)];
  const [bSingle, bChunked] = [bytesOf(join(one, 'single', rung)), bytesOf(join(two, 'chunked', rung))];
  console.log(
    `${rung} ${w}x${h}: timeline ${same ? 'identical' : 'DIFFERENT'}; PSNR single ${pSingle.toFixed(2)} dB, chunked ${pChunked.toFixed(2)} dB ` +
      `(diff ${(pChunked - pSingle).toFixed(2)} dB, target within 0.2); bitrate chunked/single ${((100 * bChunked) / bSingle).toFixed(1)} % (target within 3 %)`,
  );
}
console.log(`output timeline identical to single pass (playlists and keyframe times, every rung): ${identical}`);

console.log(
  'per-part times, 1 worker (s): ' +
    parts.map((p) => `${p}=${r1.times[p].toFixed(1)}`).join(' ') +
    `; assembly ${r1.assembleSec.toFixed(1)}`,
);
const p1 = predict(r1.times, 1, r1.assembleSec);
const p2 = predict(r1.times, 2, r1.assembleSec);
console.log(
  `model (list scheduling of the measured 1-worker part times): 1 worker ${p1.toFixed(1)} s (measured ${r1.wall.toFixed(1)}), 2 workers ${p2.toFixed(1)} s (measured ${r2.wall.toFixed(1)}, error ${((100 * (p2 - r2.wall)) / r2.wall).toFixed(1)} %)`,
);
for (const w of [4, 8, 16])
  console.log(
    `model: ${w} workers -> ${predict(r1.times, w, r1.assembleSec).toFixed(1)} s to ready (${(r1.wall / predict(r1.times, w, r1.assembleSec)).toFixed(2)}x)`,
  );
console.log(`load after: ${load()}`);
process.exit(0);
