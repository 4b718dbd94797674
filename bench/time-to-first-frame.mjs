#!/usr/bin/env node
// Time to first frame (issue 11; target < 2 s): "upload finished -> the video's first decoded frame shown
// in Chromium on a real room page through hls.js". Starts the BUILT api and transcoder (bench/lib/stack.mjs),
// opens a room in Debian's Chromium (playwright-core, as test/support/browser.ts), uploads a 10 s and a
// 10 min 1080p30 source over HTTP and, from the moment the upload request completes (202), has the page
// do what a person does: click the video as soon as the list offers it (playable while encoding). Times:
//   listed  the media row is clickable (the first segment of every rung exists, the room was told)
//   frame   the first frame presented on the page (requestVideoFrameCallback's first call)
//   moving  the first frame presented with mediaTime >= 0.1 s (the room actually plays)
// Between runs the transcode is cancelled and awaited, so every run starts with the worker idle.
// Each run also prints where the time went (seconds after the upload finished), from the transcoder's
// `ttff:` debug lines (LOG_LEVEL=debug) and from hooks in the page:
//   picked  the worker took the job          probed  ffprobe done (chunked: the chunk's own probe)
//   ffmpeg  ffmpeg spawned                   written the first segment of every rung on disk (file times)
//   seg     the transcoder saw them (single pass)
//   master  the early master.m3u8 written    told    the transcoder logged "playable" (DB write, then the API)
//   event   the page's socket got media:updated with playable   row  the clickable row in the DOM
//   click   the click reached the page       hls     hls.js created   manifest  MANIFEST_PARSED
//   level   first media playlist loaded      frag    first video fragment loaded
//   ffcpu   CPU seconds the media's ffmpegs had used when the first segment of every rung existed: the
//           work behind `written`, which, unlike the wall times, the load of a shared machine leaves alone
//
//   npm run build && node bench/time-to-first-frame.mjs [--lengths=10,600] [--runs=3] [--ab[=first|wait|audio]]
//       [--click=instant|driver]
//
// --ab: A/B in the same run, interleaved (A, B, A, B ...), each run on a freshly started transcoder:
// A = FIRST_SEGMENT_SEC=2 (the uniform 2 s segment grid, as before the short first segment),
// B = FIRST_SEGMENT_SEC=1 (the default: a 1 s first segment, ffmpeg/segment-grid.ts); prints the
// medians of each and the ratio B/A. --ab=wait compares FIRST_SEGMENT_WAIT=poll (A) with watch (B);
// --ab=audio a chunked source's audio parts on the media queue (A: TRANSCODE_AUDIO_CONCURRENCY=0) with
// their own slot (B: 1, the default).
//
// Needs PostgreSQL and Redis as the other benches (BENCH_DATABASE_BASE_URL, REDIS_URL; the database
// reelroom_bench_ttff is dropped and re-created) and Chromium at CHROMIUM_PATH (default /usr/bin/chromium).
// Sources are shared with bench/time-to-playable.mjs ($TMPDIR/reelroom-bench-sources). Not part of npm test.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchStack, root } from './lib/stack.mjs';
import { launchBenchChromium } from './lib/chromium.mjs';
import { cpuSeconds, descendants } from './lib/cpu.mjs';
import { median } from './lib/measure.mjs';

const run = promisify(execFile);
for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js', 'apps/web/dist/index.html']) {
  if (!existsSync(join(root, entry))) {
    console.error(`${entry} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const lengths = arg('lengths', '10,600').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const abArg = process.argv.find((a) => a === '--ab' || a.startsWith('--ab='));
const ab = abArg !== undefined;
// instant (default): the page clicks the row the moment it is offered (a MutationObserver), so the figure is
// the product's; driver: playwright waits for the row and clicks it (its polling backs off to 100-500 ms,
// which the first runs of this bench counted as the product's time).
const clickBy = arg('click', 'instant');
if (!['instant', 'driver'].includes(clickBy)) throw new Error('--click=instant|driver');
/** Variants of the transcoder's environment compared by --ab (A first: the baseline). */
const AB_VARIANTS = {
  first: [
    { name: 'A first 2 s', env: { FIRST_SEGMENT_SEC: '2' } },
    { name: 'B first 1 s', env: { FIRST_SEGMENT_SEC: '1' } },
  ],
  wait: [
    { name: 'A poll', env: { FIRST_SEGMENT_WAIT: 'poll' } },
    { name: 'B watch', env: { FIRST_SEGMENT_WAIT: 'watch' } },
  ],
  // Chunked sources: the audio parts on the media queue's slots (A, as before) or on their own slot (B).
  audio: [
    { name: 'A audio in media slot', env: { TRANSCODE_AUDIO_CONCURRENCY: '0' } },
    { name: 'B audio slot', env: { TRANSCODE_AUDIO_CONCURRENCY: '1' } },
  ],
};
const abKind = abArg?.split('=')[1] ?? 'first';
if (ab && !AB_VARIANTS[abKind]) throw new Error(`--ab=${abKind}: expected one of ${Object.keys(AB_VARIANTS).join(', ')}`);
const VARIANTS = ab ? AB_VARIANTS[abKind] : [{ name: 'default', env: {} }];
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

// --- sources (the same files and names as bench/time-to-playable.mjs) ---------------------------------
const cache = join(tmpdir(), 'reelroom-bench-sources');
mkdirSync(cache, { recursive: true });
async function source(seconds) {
  const out = join(cache, `src-1080p30-${seconds}s.mp4`);
  if (existsSync(out) && statSync(out).size > 0) return out;
  process.stdout.write(`generating ${seconds} s 1080p30 source... `);
  const lavfi = ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
  const enc = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k'];
  await run(FFMPEG, [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    ...lavfi,
    '-t',
    String(seconds),
    ...enc,
    '-movflags',
    '+faststart',
    `${out}.part.mp4`,
  ]);
  execFileSync('mv', [`${out}.part.mp4`, out]);
  console.log(`${(statSync(out).size / 1e6).toFixed(1)} MB`);
  return out;
}

/**
 * In the page from its first script: the times (epoch ms) of what the page does between the socket event
 * and the first frame. hls.js is caught as the player stores it (window.__reelroom.hls, hls-player.tsx),
 * synchronously, so its listeners are on before loadSource.
 */
function watchFrames() {
  const now = () => performance.timeOrigin + performance.now();
  const marks = { frame: null, moving: null, event: null, row: null, click: null, hls: null, manifest: null, level: null, frag: null };
  window.__ttff = marks;
  window.__ttffWant = null; // { mediaId, name } of the run under way
  const once = (k) => (marks[k] ??= now());
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (m) => {
        const w = window.__ttffWant;
        if (
          w &&
          typeof m.data === 'string' &&
          m.data.includes('media:updated') &&
          m.data.includes(w.mediaId) &&
          m.data.includes('"playable":true')
        )
          once('event');
      });
    }
  };
  let reel;
  Object.defineProperty(window, '__reelroom', {
    configurable: true,
    get: () => reel,
    set: (v) => {
      if (v?.hls && v.hls !== reel?.hls && window.__ttffWant) {
        once('hls');
        v.hls.on('hlsManifestParsed', () => once('manifest'));
        v.hls.on('hlsLevelLoaded', () => once('level'));
        v.hls.on('hlsFragLoaded', (_e, d) => d.frag?.type === 'main' && once('frag'));
      }
      reel = v;
    },
  });
  document.addEventListener('click', () => window.__ttffWant && once('click'), true);
  const hook = (v) => {
    if (v.__ttffHooked) return;
    v.__ttffHooked = true;
    const onFrame = (_now, meta) => {
      // Only frames of this run's player: the room may still show the previous run's media until the click.
      if (!window.__ttffWant || marks.hls === null) return void v.requestVideoFrameCallback(onFrame);
      once('frame');
      if (meta.mediaTime >= 0.1 && marks.moving === null) marks.moving = now();
      else v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => {
    const v = document.querySelector('video[data-testid="player"]');
    if (v) hook(v);
    const w = window.__ttffWant;
    if (w && marks.row === null)
      for (const b of document.querySelectorAll('[data-testid="media-item"] button.media-row'))
        if (b.textContent.includes(w.name)) {
          once('row');
          if (w.instant) b.click();
        }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** The transcoder's `ttff:` lines for one media: the first time (epoch ms) of each step. */
function transcoderMarks(logFile, mediaId) {
  const marks = {};
  const first = (k, t) => (marks[k] ??= t);
  let text;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return marks;
  }
  const segs = [];
  for (const line of text.split('\n')) {
    if (!line.includes(mediaId)) continue;
    let l;
    try {
      l = JSON.parse(line);
    } catch {
      continue;
    }
    if (l.mediaId !== mediaId) continue;
    const video = l.part === undefined || l.part === 0; // a chunked transcode: chunk 0 decides
    if (l.msg === 'ttff: job picked up') first('picked', l.time);
    else if (l.msg === 'ttff: probe done' && video) first('probed', l.time);
    else if (l.msg === 'ttff: ffmpeg started' && video) first('ffmpeg', l.time);
    else if (l.msg === 'ttff: first segment written') segs.push(l.time);
    else if (l.msg === 'ttff: early master published') first('master', l.time);
    else if (l.msg === 'playable while encoding') first('told', l.time);
  }
  if (segs.length) marks.seg = Math.max(...segs);
  return marks;
}

/** The latest modification time of the rungs' seg_00000.m4s: ffmpeg had finished every first segment. */
function firstSegmentsWritten(hlsDir) {
  try {
    const times = readdirSync(hlsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'parts')
      .map((d) => statSync(join(hlsDir, d.name, 'seg_00000.m4s')).mtimeMs);
    return times.length ? Math.max(...times) : null;
  } catch {
    return null;
  }
}

/** True once every rung folder of the output (at least one video rung) has its seg_00000.m4s. */
function allFirstSegments(hlsDir) {
  try {
    const rungs = readdirSync(hlsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'parts');
    return rungs.some((d) => !d.name.startsWith('audio')) && rungs.every((d) => existsSync(join(hlsDir, d.name, 'seg_00000.m4s')));
  } catch {
    return false;
  }
}

/**
 * CPU seconds the media's ffmpegs (the transcoder's children whose arguments name the media) had used when
 * the first segment of every rung existed: the work the first segments cost, which the machine's load
 * does not change (wall times on a loaded machine mostly measure the other processes). Sampled every
 * 50 ms; `stop()` gives the figure, or null if the segments were not seen.
 */
function ffmpegCpuToFirstSegments(hlsDir, transcoderPid, mediaId) {
  const used = new Map();
  let result = null;
  const sample = () => {
    for (const p of descendants(transcoderPid)) {
      if (!p.cmdline.some((a) => a.endsWith('ffmpeg')) || !p.cmdline.some((a) => a.includes(mediaId))) continue;
      const s = cpuSeconds(p.pid);
      if (s !== null) used.set(p.pid, s);
    }
    if (allFirstSegments(hlsDir)) {
      result = [...used.values()].reduce((a, b) => a + b, 0);
      clearInterval(timer);
    }
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      return result === null ? null : +result.toFixed(2);
    },
  };
}

const STEPS = [
  'picked',
  'probed',
  'ffmpeg',
  'written',
  'seg',
  'master',
  'told',
  'event',
  'row',
  'click',
  'hls',
  'manifest',
  'level',
  'frag',
  'frame',
  'moving',
];

// BENCH_TTFF_DATABASE: another name, so two checkouts can bench at once on one PostgreSQL.
const stack = benchStack('ttff', { database: process.env.BENCH_TTFF_DATABASE ?? 'reelroom_bench_ttff' });
let browser;
const stop = async () => {
  await browser?.close().catch(() => undefined);
  await stack.stop();
};
process.on('SIGINT', () => void stop().then(() => process.exit(130)));
stack.freshDatabase();

const results = [];
try {
  const sources = [];
  for (const s of lengths.sort((a, b) => a - b)) sources.push([s, await source(s)]);
  const { baseUrl: base } = await stack.startApi();
  // One transcoder at a time; --ab starts a fresh one for every run (its variant's environment).
  let transcoder;
  let transcoderLog;
  let started = 0;
  const useTranscoder = async (variant) => {
    if (transcoder && !ab) return;
    if (transcoder) {
      const exited = new Promise((r) => transcoder.once('exit', r));
      transcoder.kill('SIGTERM');
      await exited;
    }
    const logName = `transcoder-${++started}`;
    transcoder = await stack.startTranscoder({ LOG_LEVEL: 'debug', ...variant.env }, logName);
    transcoderLog = join(stack.dir, `${logName}.log`);
  };
  // The browser is started again if it goes away (the machine is shared; a crash must not end the run):
  // the account's cookies are kept and put into the new context.
  let page;
  let session;
  const openPage = async () => {
    if (browser?.isConnected() && page && !page.isClosed()) return page;
    await browser?.close().catch(() => undefined);
    browser = await launchBenchChromium();
    browser.on('disconnected', () => console.error('browser disconnected'));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(session && { storageState: session }) });
    page = await context.newPage();
    page.on('crash', () => console.error('page crashed'));
    await page.addInitScript(watchFrames);
    return page;
  };
  await openPage();
  await page.goto(`${base}/register`);
  await page.getByLabel('Email').fill(`ttff${Date.now()}@example.test`);
  await page.getByLabel('Display name').fill('Bench');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('current-user').waitFor();
  session = await page.context().storageState();
  const origin = { origin: base };
  const room = await (await page.request.post(`${base}/api/rooms`, { data: { name: 'Bench' }, headers: origin })).json();
  // From Node with the account's cookie: works while the browser is being restarted.
  const cookie = session.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const req = (method, path) => fetch(`${base}${path}`, { method, headers: { cookie, origin: base } });

  for (const [seconds, file] of sources) {
    for (let k = 0; k < runs * VARIANTS.length; k++) {
      const variant = VARIANTS[k % VARIANTS.length];
      const i = k;
      await useTranscoder(variant);
      await openPage();
      // A fresh room page for every run: nothing of the previous player stays loaded.
      await page.goto(`${base}/r/${room.id}`);
      await page.getByTestId('live-state').and(page.locator('[data-state="connected"]')).waitFor();
      const load = loadavg()[0];
      // Node's fetch streams the file (the browser's request API would copy 700 MB through the driver), with
      // the page's session cookie and the Origin a browser sends.
      const form = new FormData();
      form.append('file', await openAsBlob(file, { type: 'video/mp4' }), `bench-${seconds}s-${i}.mp4`);
      const res = await fetch(`${base}/api/rooms/${room.id}/media`, { method: 'POST', body: form, headers: { cookie, origin: base } });
      const tUpload = Date.now();
      if (res.status !== 202) throw new Error(`upload -> ${res.status}: ${await res.text()}`);
      const media = await res.json();
      const cpu = ffmpegCpuToFirstSegments(join(stack.dir, 'media', media.id, 'hls'), transcoder.pid, media.id);
      await page.evaluate((want) => (window.__ttffWant = want), {
        mediaId: media.id,
        name: `bench-${seconds}s-${i}.mp4`,
        instant: clickBy === 'instant',
      });
      let tListed = null;
      let pageMarks = {};
      try {
        const row = page
          .getByTestId('media-item')
          .filter({ hasText: `bench-${seconds}s-${i}.mp4` })
          .locator('button.media-row');
        if (clickBy === 'instant') {
          await page.waitForFunction(() => window.__ttff.row !== null, null, { timeout: 120_000, polling: 50 });
          tListed = await page.evaluate(() => Math.round(window.__ttff.row));
        } else {
          await row.waitFor({ timeout: 120_000 });
          tListed = Date.now();
          await row.click();
        }
        // A machine too loaded to play within the limit records what it got (null: not seen), and goes on.
        await page.waitForFunction(() => window.__ttff.moving !== null, null, { timeout: 120_000, polling: 50 }).catch(() => undefined);
        pageMarks = await page.evaluate(() => window.__ttff);
        // Before the cancel removes them: when ffmpeg finished the first segment of each rung (file times).
        pageMarks.written = firstSegmentsWritten(join(stack.dir, 'media', media.id, 'hls'));
      } catch (e) {
        console.error(`run ${i + 1}: the page failed (${e.message.split('\n')[0]}); its page figures are missing`);
      }
      const since = (t) => (t === null || t === undefined ? null : +((t - tUpload) / 1000).toFixed(3));
      const marks = { ...transcoderMarks(transcoderLog, media.id), ...pageMarks };
      const r = {
        source: `${seconds} s`,
        variant: variant.name,
        run: i + 1,
        listed: since(tListed),
        ...Object.fromEntries(STEPS.map((s) => [s, since(marks[s])])),
        ffcpu: cpu.stop(),
        load1: +load.toFixed(1),
      };
      results.push(r);
      console.log(JSON.stringify(r));
      // Worker idle before the next run: stop what is still encoding and wait until it has stopped.
      const cur = await (await req('GET', `/api/media/${media.id}`)).json();
      if (cur.status === 'processing' || cur.status === 'queued') await req('POST', `/api/media/${media.id}/cancel`);
      for (;;) {
        const m = await (await req('GET', `/api/media/${media.id}`)).json();
        if (m.status !== 'processing' && m.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1000)); // ffmpeg's exit and the poster's
      await page.evaluate(() => (window.__ttffWant = null)).catch(() => undefined);
    }
  }
} finally {
  await stop();
}

console.log(`\nmachine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; 1-min load average at each upload in the rows above.`);
const groups = [...new Set(results.map((r) => `${r.source}|${r.variant}`))].map((g) => g.split('|'));
const med = (rs, k) => {
  const xs = rs.map((r) => r[k]).filter((x) => x !== null && x !== undefined);
  return xs.length ? median(xs) : null;
};
const fmt = (x) => (x === null ? '     -' : x.toFixed(2).padStart(6));
console.log('\nbreakdown: seconds after the upload finished, median of runs (steps in order; - = not seen)');
console.log(`${'source / variant'.padEnd(22)}${STEPS.map((s) => s.padStart(9)).join('')}    ffcpu   load`);
for (const [source, variant] of groups) {
  const rs = results.filter((r) => r.source === source && r.variant === variant);
  const load = median(rs.map((r) => r.load1));
  console.log(
    `${`${source} ${variant}`.padEnd(22)}${STEPS.map((s) => `${fmt(med(rs, s))}`.padStart(9)).join('')}${fmt(med(rs, 'ffcpu')).padStart(9)}   ${load.toFixed(1)}  (${rs.length} runs)`,
  );
}
if (ab) {
  console.log('\nA/B (same run, interleaved): median B / median A');
  for (const source of [...new Set(results.map((r) => r.source))]) {
    const [a, b] = VARIANTS.map((v) => results.filter((r) => r.source === source && r.variant === v.name));
    // written -> master: the wait this switch is about, free of the encode's noise.
    const delay = (rs) =>
      med(
        rs.filter((r) => r.written !== null && r.master !== null).map((r) => ({ d: r.master - r.written })),
        'd',
      );
    const [da, db] = [delay(a), delay(b)];
    console.log(`${`${source} 1080p30`.padEnd(16)}first segments on disk -> master published: ${fmt(da)} -> ${fmt(db)} s`);
    const line = ['ffcpu', 'written', 'master', 'frame', 'moving'].map((k) => {
      const ma = med(a, k);
      const mb = med(b, k);
      return `${k} ${fmt(ma)} -> ${fmt(mb)} s (x${ma && mb ? (mb / ma).toFixed(2) : '-'})`;
    });
    console.log(`${`${source} 1080p30`.padEnd(16)}${line.join('   ')}`);
  }
}
const worst = Math.max(
  ...groups.map(
    ([source, variant]) =>
      med(
        results.filter((r) => r.source === source && r.variant === variant),
        'frame',
      ) ?? Infinity,
  ),
);
console.log(`\nworst median time to first frame: ${worst.toFixed(2)} s (target < 2 s): ${worst < 2 ? 'met' : 'NOT met'}`);
