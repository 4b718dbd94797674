#!/usr/bin/env node
// Single-pass ladder (decode once, scale in a cascade, encode every rung in one ffmpeg) vs a baseline of one ffmpeg
// per rung with the same settings, both measured in this run on this machine.
//
//   npm run build && node bench/transcode.mjs [--ladder=1080|720] [--seconds=60] [--source=phone|light]
//
// CPU seconds come from GNU time (`/usr/bin/time -f '%e %U %S'`, Debian package `time`) wrapped around
// each ffmpeg; Node cannot report a child's rusage itself. Without it, the children's CPU is read from
// this process's cutime/cstime in /proc/self/stat (children are reaped by libuv, so they count there).
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const dist = new URL('../apps/transcoder/dist/ffmpeg/', import.meta.url);
const pipeline = new URL('../apps/transcoder/dist/pipeline/', import.meta.url);
if (!existsSync(new URL('transcode-to-hls.js', pipeline))) {
  console.error('apps/transcoder/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const { transcodeToHls } = await import(new URL('transcode-to-hls.js', pipeline).href);
const { buildHlsCommand } = await import(new URL('hls-command.js', dist).href);
const { chooseLadder } = await import(new URL('ladder.js', dist).href);
const { probeMedia } = await import(new URL('probe.js', dist).href);

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const maxHeight = arg('ladder', 1080);
const seconds = arg('seconds', 60);
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe';
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);
const TIMEOUT_MS = 20 * 60_000;

const work = await mkdtemp(join(tmpdir(), 'reelroom-bench-'));
process.on('exit', () => void rm(work, { recursive: true, force: true }));

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; ffmpeg ${FFMPEG}; cpu timing: ${hasGnuTime ? 'GNU time' : '/proc/self/stat cutime (apt-get install time for per-process figures)'}`,
);

// Source: 1080p30 H.264 + AAC from lavfi. Two kinds (--source=phone|light):
// - phone (default): what people upload: High profile with CABAC and B-frames at 16 Mb/s (a phone
//   records 1080p30 at about 17 Mb/s). Decoding it costs ~4.6x the light one (measured here: 3.9 vs
//   0.85 CPU s per 20 s), and avoided decodes are exactly what a single pass saves.
// - light: x264 ultrafast at 8 Mb/s (no CABAC, no B-frames), as in reference/transcoding.md §7: the
//   cheapest possible decode, so the least favourable case for the single pass.
const sourceKind = process.argv.find((a) => a.startsWith('--source='))?.slice(9) ?? 'phone';
const SOURCE_ENCODE = {
  phone: ['-preset', 'superfast', '-profile:v', 'high', '-b:v', '16M', '-maxrate', '16M', '-bufsize', '32M'],
  light: ['-preset', 'ultrafast', '-b:v', '8M', '-maxrate', '8M', '-bufsize', '16M'],
};
if (!SOURCE_ENCODE[sourceKind]) {
  console.error(`unknown --source=${sourceKind} (phone|light)`);
  process.exit(2);
}
const source = join(work, 'source.mp4');
process.stdout.write(`generating ${seconds} s 1080p30 ${sourceKind} source... `);
await promisify(execFile)(FFMPEG, [
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
  ...SOURCE_ENCODE[sourceKind],
  '-pix_fmt',
  'yuv420p',
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  source,
]);
console.log('done');

const limits = { maxDurationSec: 4 * 3600, maxWidth: 3840, maxHeight: 2160, maxFps: 120, maxStreams: 8, timeoutMs: TIMEOUT_MS };
const info = await probeMedia({ ffprobePath: FFPROBE, sourcePath: source, timeoutMs: 60_000 });
const ladder = chooseLadder({ ...info.video, bitrate: info.video.bitrate ?? info.bitrate }, { maxHeight });
console.log(`ladder: ${ladder.map((r) => `${r.name} ${r.width}x${r.height}@${r.fps} ${Math.round(r.videoBitrate / 1000)}k`).join(', ')}`);

/** CPU seconds of all reaped children so far: cutime + cstime, fields 16/17 of /proc/self/stat (USER_HZ 100). */
function childCpuSeconds() {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' '); // rest[0] is field 3 (state)
  return (Number(rest[13]) + Number(rest[14])) / 100;
}

/** Writes an executable wrapper that runs ffmpeg under GNU time, appending "%e %U %S" to timesFile. */
async function timedFfmpeg(timesFile) {
  const wrapper = join(work, `ffmpeg-timed-${Math.random().toString(36).slice(2)}.sh`);
  await writeFile(wrapper, `#!/bin/sh\nexec ${GNU_TIME} -a -o '${timesFile}' -f '%e %U %S' '${FFMPEG}' "$@"\n`);
  await chmod(wrapper, 0o755);
  return wrapper;
}

async function sumTimes(timesFile) {
  const lines = (await readFile(timesFile, 'utf8'))
    .trim()
    .split('\n')
    .filter((l) => /^[\d.]+ [\d.]+ [\d.]+$/.test(l));
  return lines.reduce(
    (acc, l) => {
      const [e, u, s] = l.split(' ').map(Number);
      return { wall: acc.wall + e, user: acc.user + u, sys: acc.sys + s };
    },
    { wall: 0, user: 0, sys: 0 },
  );
}

function runFfmpeg(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited ${code}: ${err}`));
    });
  });
}

// (a) ours: the production entry point, ffmpeg wrapped in GNU time; nice disabled so both runs compete equally.
async function ours() {
  const timesFile = join(work, 'ours.times');
  const ffmpegPath = hasGnuTime ? await timedFfmpeg(timesFile) : FFMPEG;
  const cpu0 = hasGnuTime ? 0 : childCpuSeconds();
  const t0 = performance.now();
  await transcodeToHls({
    sourcePath: source,
    outDir: join(work, 'ours', 'hls'),
    ffmpegPath,
    ffprobePath: FFPROBE,
    maxHeight,
    limits,
    niceness: 0,
  });
  const total = (performance.now() - t0) / 1000;
  if (hasGnuTime) return { ...(await sumTimes(timesFile)), total };
  const cpu = childCpuSeconds() - cpu0;
  return { wall: total, user: cpu, sys: 0, total };
}

// (b) baseline: one process per rung, argv from the same builder with a one-rung ladder.
async function baseline() {
  const timesFile = join(work, 'baseline.times');
  const cpu0 = hasGnuTime ? 0 : childCpuSeconds();
  const t0 = performance.now();
  for (const [i, rung] of ladder.entries()) {
    const workDir = join(work, `baseline-${i}`);
    // Each one-rung process also writes its own copy of the shared audio rendition.
    for (const folder of [rung.name, 'audio']) await mkdir(join(workDir, folder), { recursive: true });
    const args = buildHlsCommand({ info, ladder: [rung], sourcePath: source, workDir });
    if (hasGnuTime) await runFfmpeg(GNU_TIME, ['-a', '-o', timesFile, '-f', '%e %U %S', FFMPEG, ...args]);
    else await runFfmpeg(FFMPEG, args);
  }
  const total = (performance.now() - t0) / 1000;
  if (hasGnuTime) return { ...(await sumTimes(timesFile)), total };
  const cpu = childCpuSeconds() - cpu0;
  return { wall: total, user: cpu, sys: 0, total };
}

process.stdout.write('encoding single pass (ours)... ');
const a = await ours();
console.log(`${a.wall.toFixed(1)} s`);
process.stdout.write(`encoding baseline (${ladder.length} processes)... `);
const b = await baseline();
console.log(`${b.wall.toFixed(1)} s`);

const row = (name, r) => {
  const cpu = r.user + r.sys;
  return `| ${name.padEnd(22)} | ${r.wall.toFixed(1).padStart(7)} | ${r.user.toFixed(1).padStart(7)} | ${r.sys.toFixed(1).padStart(6)} | ${cpu.toFixed(1).padStart(6)} | ${(seconds / r.wall).toFixed(2).padStart(9)}x |`;
};
console.log(
  `\nsource ${seconds} s 1920x1080@30 (${sourceKind}), ladder top ${maxHeight} (${ladder.map((r) => r.height).join('/')}), libx264 veryfast\n`,
);
console.log('| run                    | wall s  | user s  | sys s  | CPU s  | realtime   |');
console.log('|------------------------|---------|---------|--------|--------|------------|');
console.log(row('single pass, cascade', a));
console.log(row(`${ladder.length} separate passes`, b));
const cpuA = a.user + a.sys;
const cpuB = b.user + b.sys;
console.log(`\nCPU ratio ours/baseline: ${(cpuA / cpuB).toFixed(3)} (${((1 - cpuA / cpuB) * 100).toFixed(1)} % less CPU)`);
console.log(`wall ratio ours/baseline: ${(a.wall / b.wall).toFixed(3)}`);
console.log(`transcodeToHls end to end (probe + ffmpeg + measure + master): ${a.total.toFixed(1)} s`);
