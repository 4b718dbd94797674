#!/usr/bin/env node
// Synchronized playback across N real Chromium pages (issue 3, "Benchmarks": bench/sync). Starts the BUILT
// api (serving the built web app) and transcoder as child processes (like test/support/stack.ts) against
// their own database, a private Redis key prefix and a temp MEDIA_ROOT; uploads a 90 s 720p30 clip; opens
// one host page and N-1 guest pages (one browser, separate contexts) on the room; then drives playback from
// the host and samples every page's <video> against the same wall clock.
//
//   npm run build && node bench/sync.mjs [--pages=6] [--seconds=15] [--settle=3] [--no-network]
//
// Sampling: every ~200 ms, all pages at once report {t: performance.timeOrigin + performance.now(),
// currentTime, playbackRate, paused}; each page's position is extrapolated to the round's latest t with its
// own rate, and spread = max - min across pages (ms). Phases: start, seek to 40 s, pause (spread of the
// paused positions) then resume, one guest CPU-throttled 4x for 5 s (during, after), one guest on a slow
// network for 5 s (during, after). Per page: rate changes and correction seeks per minute (from
// window.__reelroom.sync counters, differences over the phase), clock offset and RTT estimates.
// Target: median spread < 50 ms, p95 < 150 ms.
//
// Needs PostgreSQL and Redis as for the tests: BENCH_DATABASE_BASE_URL (default
// postgresql://reelroom:reelroom@127.0.0.1:5432; the database reelroom_bench_sync is dropped and
// re-created) and REDIS_URL (default redis://127.0.0.1:6379); Chromium at CHROMIUM_PATH (/usr/bin/chromium).
// Not part of npm test. KEEP_BENCH_DIR=1 keeps the logs.
import { execFile } from 'node:child_process';
import { existsSync, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiRequester, benchStack, root } from './lib/stack.mjs';
import { launchBenchChromium } from './lib/chromium.mjs';

const run = promisify(execFile);
for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js', 'apps/web/dist/index.html']) {
  if (!existsSync(join(root, entry))) {
    console.error(`${entry} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const PAGES = Math.max(2, Number(arg('pages', '6')));
const SAMPLE_SEC = Number(arg('seconds', '15'));
const SETTLE_SEC = Number(arg('settle', '3'));
const INTERVAL_MS = 200;
const NETWORK = !process.argv.includes('--no-network');
const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const DB_NAME = 'reelroom_bench_sync';
const TARGET = { median: 50, p95: 150 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...a);

// --- stack -------------------------------------------------------------------------------------------
const stack = benchStack('sync', { database: DB_NAME });
const { dir, queuePrefix } = stack;
let browser = null;
async function cleanup() {
  await browser?.close().catch(() => {});
  await stack.stop({ dropDatabase: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

// --- stats -------------------------------------------------------------------------------------------
const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
};
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const pad = (s, n) => String(s).padStart(n);
const padEnd = (s, n) => String(s).padEnd(n);

// --- in-page probes ----------------------------------------------------------------------------------
const probe = () => {
  const v = document.querySelector('[data-testid="player"]');
  const s = window.__reelroom?.sync;
  return {
    t: performance.timeOrigin + performance.now(),
    ct: v ? v.currentTime : NaN,
    rate: v ? v.playbackRate : NaN,
    paused: v ? v.paused : true,
    ready: v ? v.readyState : 0,
    drift: s ? s.driftMs : NaN,
  };
};
const counters = () => {
  const s = window.__reelroom?.sync;
  return s ? { rateChanges: s.rateChanges, seeks: s.seeks, offsetMs: s.offsetMs, rttMs: s.rttMs } : null;
};

const results = [];
try {
  // -- database, processes
  stack.freshDatabase();
  const clip = join(dir, 'clip-720p30-90s.mp4');
  const clipMade = run(FFMPEG, [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=30',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    '90',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-movflags',
    '+faststart',
    clip,
  ]);
  const { baseUrl: base } = await stack.startApi();
  await stack.startTranscoder();
  log(`stack up on ${base} (db ${DB_NAME}, prefix ${queuePrefix})`);

  const req = apiRequester(base);

  // -- host, room, media
  const tag = Date.now().toString(36);
  const host = await req('POST', '/api/auth/register', {
    email: `bench-sync-${tag}@example.test`,
    password: 'correct horse battery',
    displayName: 'Host',
  });
  const room = await req('POST', '/api/rooms', { name: 'Sync bench' }, host.accessToken);
  await clipMade;
  const form = new FormData();
  form.append('file', await openAsBlob(clip), 'sync-bench.mp4');
  const media = await req('POST', `/api/rooms/${room.id}/media`, form, host.accessToken);
  const tUp = Date.now();
  for (;;) {
    const m = await req('GET', `/api/media/${media.id}`, undefined, host.accessToken);
    if (m.status === 'ready') break;
    if (m.status === 'failed') throw new Error(`transcode failed: ${JSON.stringify(m)}`);
    if (Date.now() - tUp > 300_000) throw new Error('media not ready after 300 s');
    await sleep(500);
  }
  log(`media ${media.id} ready after ${((Date.now() - tUp) / 1000).toFixed(1)} s`);

  // -- browsers
  const tokens = [host.accessToken];
  for (let i = 1; i < PAGES; i++) {
    const g = await req('POST', `/api/rooms/${room.id}/guest`, { displayName: `Guest ${i}` });
    tokens.push(g.accessToken);
  }
  browser = await launchBenchChromium([
    // Several pages share one browser: keep background pages' timers and rendering running.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ]);
  const pages = [];
  for (let i = 0; i < PAGES; i++) {
    const ctx = await browser.newContext({ viewport: { width: 960, height: 640 } });
    await ctx.addCookies([{ name: 'reelroom_session', value: tokens[i], url: base }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/r/${room.id}`);
    pages.push({ page, name: i === 0 ? 'host' : `guest${i}`, errors });
  }
  await Promise.all(pages.map(({ page }) => page.locator('[data-testid="live-state"][data-state="connected"]').waitFor()));
  log(`${PAGES} pages connected`);

  const hostPage = pages[0].page;
  await hostPage.locator('[data-testid="media-item"][data-status="ready"]').first().waitFor();
  await hostPage.locator('[data-testid="media-item"][data-status="ready"] button.media-row').first().click();
  await Promise.all(
    pages.map(async ({ page }) => {
      const appeared = await page
        .getByTestId('player')
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (!appeared) await page.locator('[data-testid="media-item"] button.media-row').first().click();
      await page.waitForFunction(() => {
        const v = document.querySelector('[data-testid="player"]');
        return v && v.readyState >= 2 && window.__reelroom?.sync;
      });
    }),
  );
  log('all players loaded');

  // -- sampling
  const all = (fn, a) => Promise.all(pages.map(({ page }) => page.evaluate(fn, a)));
  async function readCounters() {
    return all(counters);
  }
  async function sampleFor(ms) {
    const out = [];
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const t0 = Date.now();
      const r = await all(probe);
      const T = Math.max(...r.map((x) => x.t));
      const pos = r.map((x) => (x.paused ? x.ct : x.ct + ((T - x.t) / 1000) * x.rate));
      const valid = pos.every(Number.isFinite);
      if (valid) {
        out.push({
          spread: (Math.max(...pos) - Math.min(...pos)) * 1000,
          pos,
          paused: r.map((x) => x.paused),
          drift: r.map((x) => x.drift),
          skew: Math.max(...r.map((x) => x.t)) - Math.min(...r.map((x) => x.t)),
        });
      }
      await sleep(Math.max(0, INTERVAL_MS - (Date.now() - t0)));
    }
    return out;
  }
  async function phase(name, { action, settleMs = SETTLE_SEC * 1000, sampleMs = SAMPLE_SEC * 1000, before } = {}) {
    const c0 = before ?? (await readCounters());
    const tStart = Date.now();
    if (action) await action();
    await sleep(settleMs);
    const samples = await sampleFor(sampleMs);
    const c1 = await readCounters();
    const minutes = (Date.now() - tStart) / 60_000;
    const spreads = samples.map((s) => s.spread);
    const r = {
      name,
      n: samples.length,
      median: quantile(spreads, 0.5),
      p95: quantile(spreads, 0.95),
      max: Math.max(...spreads),
      allPaused: samples.every((s) => s.paused.every(Boolean)),
      anyPaused: samples.some((s) => s.paused.some(Boolean)),
      maxSkew: Math.max(...samples.map((s) => s.skew)),
      minutes,
      perPage: pages.map((p, i) => ({
        name: p.name,
        ratePerMin: (c1[i].rateChanges - c0[i].rateChanges) / minutes,
        seeksPerMin: (c1[i].seeks - c0[i].seeks) / minutes,
        rateChanges: c1[i].rateChanges - c0[i].rateChanges,
        seeks: c1[i].seeks - c0[i].seeks,
        offsetMs: c1[i].offsetMs,
        rttMs: c1[i].rttMs,
        // page position relative to the round's median, median over the phase (who is ahead / behind)
        relMs: quantile(
          samples.map((s) => (s.pos[i] - quantile(s.pos, 0.5)) * 1000),
          0.5,
        ),
        absDriftMs: quantile(samples.map((s) => Math.abs(s.drift[i])).filter(Number.isFinite), 0.5),
      })),
      c1,
      // spread per second of the phase (max within each second), to see convergence
      timeline: Array.from({ length: Math.ceil(samples.length / 5) }, (_, k) =>
        Math.max(...samples.slice(k * 5, k * 5 + 5).map((x) => x.spread)),
      ),
    };
    results.push(r);
    log(
      `${padEnd(name, 26)} n=${pad(r.n, 3)} median ${pad(fmt(r.median, 1), 7)} ms  p95 ${pad(fmt(r.p95, 1), 7)} ms  max ${pad(fmt(r.max, 1), 7)} ms`,
    );
    return r;
  }
  const control = (page, a) =>
    page.evaluate(async (a) => {
      const v = document.querySelector('[data-testid="player"]');
      if (a.seek !== undefined) v.currentTime = a.seek;
      if (a.pause) v.pause();
      if (a.play) await v.play();
    }, a);
  const waitAll = (fn, arg, timeout = 20_000) =>
    Promise.all(pages.map(({ page }) => page.waitForFunction(fn, arg, { timeout, polling: 50 })));

  // (1) start
  await phase('1 start', {
    action: async () => {
      await control(hostPage, { play: true });
      await waitAll(() => !document.querySelector('[data-testid="player"]').paused);
    },
  });
  // (2) seek to 40 s while playing
  await phase('2 seek to 40 s', {
    action: async () => {
      await control(hostPage, { seek: 40 });
      await waitAll(() => Math.abs(document.querySelector('[data-testid="player"]').currentTime - 41) < 2);
    },
  });
  // (3) pause: all paused at the same position; then resume
  await phase('3a paused (positions)', {
    action: async () => {
      await control(hostPage, { pause: true });
      await waitAll(() => document.querySelector('[data-testid="player"]').paused);
    },
    settleMs: 2000,
    sampleMs: 3000,
  });
  await phase('3b resume', {
    action: async () => {
      await control(hostPage, { play: true });
      await waitAll(() => !document.querySelector('[data-testid="player"]').paused);
    },
  });
  // The 90 s clip would end during the throttle phases: back to 5 s first (settling, not measured).
  await control(hostPage, { seek: 5 });
  await waitAll(() => document.querySelector('[data-testid="player"]').currentTime < 12);
  await sleep(6000);
  // (4) one guest CPU-throttled 4x for 5 s
  const victim = pages[PAGES - 1];
  const cdp = await victim.page.context().newCDPSession(victim.page);
  await phase(`4a CPU 4x on ${victim.name}`, {
    action: () => cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 }),
    settleMs: 0,
    sampleMs: 5000,
  });
  await phase('4b after CPU release', { action: () => cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 }) });
  // (5) one guest on a slow network for 5 s (latency applies to the socket too)
  if (NETWORK) {
    await cdp.send('Network.enable');
    await phase(`5a slow net on ${victim.name}`, {
      action: () =>
        cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 300,
          downloadThroughput: 1_000_000 / 8,
          uploadThroughput: 500_000 / 8,
        }),
      settleMs: 0,
      sampleMs: 5000,
    });
    await phase('5b after net release', {
      action: () =>
        cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 }),
    });
  }
  const errs = pages.flatMap((p) => p.errors.map((e) => `${p.name}: ${e}`));
  if (errs.length) console.log(`page errors:\n  ${errs.join('\n  ')}`);

  // -- report
  console.log(
    `\nbench/sync: ${PAGES} Chromium pages, 90 s 720p30 clip, sampling every ${INTERVAL_MS} ms, ${SETTLE_SEC} s settle, ${SAMPLE_SEC} s per phase`,
  );
  console.log('\nSpread between pages (ms; paused phase: spread of paused positions)');
  console.log(`${padEnd('phase', 26)}${pad('n', 5)}${pad('median', 9)}${pad('p95', 9)}${pad('max', 9)}  ok`);
  for (const r of results) {
    const ok = r.median < TARGET.median && r.p95 < TARGET.p95 ? 'yes' : 'NO';
    console.log(
      `${padEnd(r.name, 26)}${pad(r.n, 5)}${pad(fmt(r.median, 1), 9)}${pad(fmt(r.p95, 1), 9)}${pad(fmt(r.max, 1), 9)}  ${ok}${r.name.includes('paused') ? (r.allPaused ? ' (all paused)' : ' (NOT all paused)') : ''}`,
    );
  }
  console.log(
    "\nPer page: rate changes/min, correction seeks/min (counts), median position vs. the pages' median (ms), median |engine drift| (ms)",
  );
  console.log(padEnd('phase', 26) + pages.map((p) => pad(p.name, 24)).join(''));
  for (const r of results) {
    console.log(
      padEnd(r.name, 26) +
        r.perPage
          .map((p) =>
            pad(
              `${fmt(p.ratePerMin, 0)}r ${fmt(p.seeksPerMin, 1)}s (${p.rateChanges}/${p.seeks}) ${fmt(p.relMs, 0)}|${fmt(p.absDriftMs, 0)}`,
              24,
            ),
          )
          .join(''),
    );
  }
  console.log('\nSpread timeline (max per ~1 s of sampling, ms)');
  for (const r of results) console.log(`${padEnd(r.name, 26)}${r.timeline.map((x) => fmt(x, 0)).join(' ')}`);
  const last = results.at(-1);
  console.log('\nClock estimate per page at the end: offset ms (RTT ms)');
  console.log(last.perPage.map((p) => `${p.name} ${fmt(p.offsetMs, 1)} (${fmt(p.rttMs, 0)})`).join('   '));
  const steady = results.filter((r) => !/^(4a|5a)/.test(r.name));
  const fails = results.filter((r) => !(r.median < TARGET.median && r.p95 < TARGET.p95)).map((r) => r.name);
  const tot = results.reduce(
    (a, r) => ({
      rc: a.rc + r.perPage.reduce((s, p) => s + p.rateChanges, 0),
      sk: a.sk + r.perPage.reduce((s, p) => s + p.seeks, 0),
      min: a.min + r.minutes * PAGES,
    }),
    { rc: 0, sk: 0, min: 0 },
  );
  console.log(
    `\nverdict: ${fails.length ? 'FAIL' : 'PASS'} (target median < ${TARGET.median} ms, p95 < ${TARGET.p95} ms per phase)` +
      `${fails.length ? `; over target: ${fails.join(', ')}` : ''}; steady phases worst median ${fmt(Math.max(...steady.map((r) => r.median)), 1)} ms, worst p95 ${fmt(Math.max(...steady.map((r) => r.p95)), 1)} ms;` +
      ` corrections ${fmt(tot.rc / tot.min, 1)} rate changes and ${fmt(tot.sk / tot.min, 2)} seeks per page-minute`,
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanup();
}
