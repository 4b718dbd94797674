#!/usr/bin/env node
// Shared audio rendition (issue 11) vs muxed audio per rung: CPU seconds of the single-pass ladder ffmpeg,
// both argv from the production builder (buildHlsCommand with audioLayout 'rendition' / 'per-rung'), run
// alternately in this process on this machine.
//
//   npm run build && node bench/shared-audio.mjs [--seconds=30] [--ladder=1080] [--runs=2]
//
// CPU seconds from GNU time (`/usr/bin/time -f '%e %U %S'`) around each ffmpeg, else from this process's
// reaped-children counters in /proc/self/stat.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const dist = new URL('../apps/transcoder/dist/ffmpeg/', import.meta.url);
if (!existsSync(new URL('hls-command.js', dist))) {
  console.error('apps/transcoder/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const { buildHlsCommand } = await import(new URL('hls-command.js', dist).href);
const { plannedVariants } = await import(new URL('hls-plan.js', dist).href);
const { chooseLadder } = await import(new URL('ladder.js', dist).href);
const { probeMedia } = await import(new URL('probe.js', dist).href);

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const seconds = arg('seconds', 30);
const maxHeight = arg('ladder', 1080);
const runs = arg('runs', 2);
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe';
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);

const work = await mkdtemp(join(tmpdir(), 'reelroom-bench-audio-'));
process.on('exit', () => void rm(work, { recursive: true, force: true }));
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; cpu timing: ${hasGnuTime ? 'GNU time' : '/proc/self/stat'}`);

// 1080p30 H.264 High + stereo 48 kHz AAC, like a phone recording (see bench/transcode.mjs).
const source = join(work, 'source.mp4');
process.stdout.write(`generating ${seconds} s 1080p30 source... `);
await promisify(execFile)(FFMPEG, [
  ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
  ...['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-ac', '2'],
  ...[
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'superfast',
    '-b:v',
    '16M',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '192k',
  ],
  source,
]);
console.log('done');
const info = await probeMedia({ ffprobePath: FFPROBE, sourcePath: source, timeoutMs: 60_000 });
const ladder = chooseLadder({ ...info.video, bitrate: info.video.bitrate ?? info.bitrate }, { maxHeight });
console.log(`ladder: ${ladder.map((r) => `${r.name} ${r.width}x${r.height}`).join(', ')}`);

function childCpuSeconds() {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) / 100;
}

function run(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err}`))));
  });
}

/** One encode with the given audio layout: { wall, cpu } seconds. */
async function encode(layout, n) {
  const workDir = join(work, `${layout}-${n}`);
  const folders = layout === 'rendition' ? plannedVariants(ladder, true).map((v) => v.name) : ladder.map((r) => r.name);
  for (const f of folders) await mkdir(join(workDir, f), { recursive: true });
  const args = buildHlsCommand({ info, ladder, sourcePath: source, workDir, audioLayout: layout });
  const t0 = performance.now();
  if (hasGnuTime) {
    const times = join(work, `${layout}-${n}.times`);
    await run(GNU_TIME, ['-o', times, '-f', '%e %U %S', FFMPEG, ...args]);
    const [, user, sys] = (await readFile(times, 'utf8')).trim().split('\n').at(-1).split(' ').map(Number);
    return { wall: (performance.now() - t0) / 1000, cpu: user + sys };
  }
  const cpu0 = childCpuSeconds();
  await run(FFMPEG, args);
  return { wall: (performance.now() - t0) / 1000, cpu: childCpuSeconds() - cpu0 };
}

const results = { 'per-rung': [], rendition: [] };
for (let n = 0; n < runs; n++) {
  // Alternate the order so a load change on a shared machine does not favour one layout.
  for (const layout of n % 2 ? ['rendition', 'per-rung'] : ['per-rung', 'rendition']) {
    process.stdout.write(`run ${n + 1}/${runs} ${layout}... `);
    const r = await encode(layout, n);
    results[layout].push(r);
    console.log(`${r.cpu.toFixed(1)} CPU s, ${r.wall.toFixed(1)} s wall`);
  }
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const before = mean(results['per-rung'].map((r) => r.cpu));
const after = mean(results.rendition.map((r) => r.cpu));
console.log(`\nsource ${seconds} s 1080p30 + stereo AAC, ladder ${ladder.map((r) => r.height).join('/')}, ${runs} run(s) each`);
console.log(`before (muxed AAC per rung, ${ladder.length} encodes): ${before.toFixed(2)} CPU s`);
console.log(`after  (one shared AAC rendition):           ${after.toFixed(2)} CPU s`);
console.log(`CPU ratio after/before: ${(after / before).toFixed(3)} (${((1 - after / before) * 100).toFixed(1)} % less CPU)`);
