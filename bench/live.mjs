#!/usr/bin/env node
// Live glass to glass (issue 8, "Benchmark: bench/live"; not part of the timed suite). Starts the BUILT api
// (with RTMP ingest on a free port) and transcoder (bench/lib/stack.mjs), and for each ingest path and
// latency mode, in a fresh room:
//   rtmp     a publisher like OBS (bench/lib/clock-publisher.mjs): this process makes 720p30 frames at real
//            time with its wall clock burned into the top of each (bench/lib/clock-pattern.mjs), ffmpeg
//            encodes them as OBS would and publishes to the room's stream key (POST /api/rooms/:id/live)
//   browser  the host's own page goes live with "Use my camera" in the Go live panel; its camera is a
//            canvas that paints the clock 30 times a second (bench/lib/clock-pages.mjs: Chromium's fake
//            camera loops a file and cannot carry a live clock), so the product's browser path carries it:
//            WebRTC (WHIP) where it connects, as here
//   recorder the same page with WebRTC hidden, so the product falls back to MediaRecorder chunks over the
//            publish socket (not in the default list; --ingests=browser,recorder compares the two)
// N Chromium viewers (playwright-core) open the room page; on every frame the room's player presents, a
// script in the page reads the clock back from the picture (requestVideoFrameCallback, canvas drawImage +
// getImageData, the same decoder as the unit spec) and compares it with the time the frame is shown (one
// machine, one clock). After a warm-up, it keeps every frame of a --seconds window and prints, per
// ingest and mode: median and p95 glass to glass over all viewers' frames, what hls.js itself says
// (hls.latency: its distance from the playlist's edge, which leaves out the encode and packaging), the
// CPU the live transcode's ffmpeg used (/proc/<pid>/stat, in cores), the ladder's speed over the window
// (video seconds its playlists grew by, per second; ffmpeg's own speed= lines from the transcoder's log
// are in the JSON rows) and so the cores it needs for real time, and each figure against the first
// scenario's (rtmp/standard) as a ratio: on a shared machine the absolute figures say little, the ratios
// in one run say more.
//
//   npm run build && npm run bench:live -- [--viewers=2] [--seconds=60] [--warmup=10]
//       [--modes=standard,low] [--ingests=rtmp,browser] [--pin] [--lowest-rung] [--ab=hold] [--source=640x360] [--nudge=0.7]
//
// With two viewers or more it also prints how far apart they watch (spread, bench/lib/viewer-spread.mjs);
// --ab=hold runs each scenario with the low-latency distance hold off, then on, in the same run.
// A mode the API refuses (400: low latency is another helper's work in progress) prints "<mode>: not
// available" with the API's reason and the run goes on. Targets (issue 8): low-latency median <= 2.0 s and
// p95 <= 3.0 s; standard median <= 5 s; the 720/480/360 ladder from 720p30 at 1.0x real time or better.
// Needs PostgreSQL and Redis as the other benches (BENCH_DATABASE_BASE_URL, REDIS_URL; the database
// reelroom_bench_live is dropped and re-created), ffmpeg, and Chromium at CHROMIUM_PATH (default
// /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { clockCameraScript, viewerProbeScript } from './lib/clock-pages.mjs';
import { launchBenchChromium } from './lib/chromium.mjs';
import { backgroundFrames, publishClock } from './lib/clock-publisher.mjs';
import { f, log, numberArg, pct } from './lib/measure.mjs';
import { cpuSeconds, descendants } from './lib/cpu.mjs';
import { viewerSpreads } from './lib/viewer-spread.mjs';
import { benchStack, root } from './lib/stack.mjs';

for (const entry of ['apps/api/dist/main.js', 'apps/transcoder/dist/main.js', 'apps/web/dist/index.html']) {
  if (!existsSync(join(root, entry))) {
    console.error(`${entry} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const listArg = (name, fallback) => (process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback).split(',');
const VIEWERS = numberArg('viewers', 2);
const SECONDS = numberArg('seconds', 60);
const WARMUP = numberArg('warmup', 10);
const MODES = listArg('modes', 'standard,low');
const INGESTS = listArg('ingests', 'rtmp,browser');
/**
 * --pin: the product (API with its RTMP server and relay, transcoder and its ffmpeg) on CPU 1 and the
 * outside world (this process, the publisher, Chromium's viewers and host camera) on CPU 0, so that a
 * 2-core machine measures what a live costs the server and not the publisher's and viewers' encode and
 * decode competing with the ladder: in production they run on other machines. PostgreSQL and Redis stay
 * unpinned. Children inherit the mask of the process that starts them (taskset -a: every thread).
 */
const PIN = process.argv.includes('--pin');
/**
 * --lowest-rung: viewers play the ladder's lowest rung (hls.js's ABR capped to it). Glass to glass is the
 * same on every rung (one encode, aligned parts); a 360p decode costs a starved viewer far less than 720p.
 */
const LOWEST_RUNG = process.argv.includes('--lowest-rung');
/**
 * --nudge=SEC: right after the warm-up, the first viewer's player moves SEC seconds nearer the edge (as a
 * viewer who started on a later part, or seeked): the window then shows whether the viewers come back
 * together (the spread columns), with the hold and without it (--ab=hold).
 */
const NUDGE = numberArg('nudge', 0);
/**
 * --source=WxH: the RTMP publisher's picture size (default 1280x720). A smaller one (640x360: a one-rung
 * ladder) leaves CPU 0 room for two viewers beside the publisher, for the spread between viewers.
 */
const SOURCE = (() => {
  const v = process.argv.find((a) => a.startsWith('--source='))?.slice(9) ?? '1280x720';
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m) throw new Error(`--source=${v}: expected WIDTHxHEIGHT, for example 640x360`);
  return { width: Number(m[1]), height: Number(m[2]) };
})();
/**
 * --ab=hold: every scenario twice in the same run, A then B: A with the viewers' low-latency distance hold
 * off (hls.js's own catch-up, as before it: `localStorage['reelroom.liveHold'] = 'off'`), B with it on
 * (the product's default). Compare the `spread` columns: how far apart the viewers watch.
 */
const AB = process.argv.find((a) => a.startsWith('--ab='))?.slice(5);
if (AB !== undefined && AB !== 'hold') throw new Error(`--ab=${AB}: expected --ab=hold`);
const VARIANTS = AB
  ? [
      { name: 'A hls.js', holdOff: true },
      { name: 'B hold', holdOff: false },
    ]
  : [{ name: '', holdOff: false }];
const pin = (pid, cpu) => execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
/** How long a viewer may take to show its first frame with a readable clock. */
const FIRST_FRAME_TIMEOUT_MS = 120_000;
/** How long the replay may take after the publisher stops, before the next scenario starts anyway. */
const WIND_DOWN_TIMEOUT_MS = 120_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'correct horse battery';

/** Polls `check` until it returns true; throws `why` after `timeoutMs`. */
async function until(check, timeoutMs, why) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) if (await check().catch(() => false)) return;
  throw new Error(why);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** The transcoder's JSON log lines (pino) from `since` on. */
function logLines(file, since) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const l = JSON.parse(line);
      if (typeof l.time === 'number' && l.time >= since) out.push(l);
    } catch {
      /* a partial last line */
    }
  }
  return out;
}

/**
 * A reader of the seconds of video the newest live has written so far (its video rungs' playlists, the
 * longest), or null. Read at both ends of the window, it gives the ladder's own speed over the window,
 * which ffmpeg's speed= (an average since the start) blurs. Segments are remembered by media sequence
 * number across reads: a low-latency playlist lists only its last LL_WINDOW_SEGMENTS, so summing one
 * read's EXTINFs would stop growing after 12 s (the 0.10x "speed" low mode used to show). Read it at
 * least once per window of segments (the window loop reads it every 2 s).
 */
function liveMediaSeconds(mediaRoot) {
  /** `<hls folder>/<rung>` -> Map(msn -> seconds). */
  const seen = new Map();
  return () => {
    let newest = null;
    try {
      for (const id of readdirSync(mediaRoot)) {
        const hls = join(mediaRoot, id, 'hls');
        const t = statSync(hls, { throwIfNoEntry: false })?.mtimeMs;
        if (t !== undefined && (!newest || t > newest.t)) newest = { hls, t };
      }
    } catch {
      return null;
    }
    if (!newest) return null;
    let longest = null;
    for (const rung of readdirSync(newest.hls)) {
      if (rung === 'audio') continue;
      try {
        const text = readFileSync(join(newest.hls, rung, 'index.m3u8'), 'utf8');
        const key = join(newest.hls, rung);
        const segments = seen.get(key) ?? new Map();
        seen.set(key, segments);
        let msn = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(text)?.[1] ?? 0);
        for (const m of text.matchAll(/^#EXTINF:([\d.]+)/gm)) segments.set(msn++, Number(m[1]));
        longest = Math.max(
          longest ?? 0,
          [...segments.values()].reduce((t, d) => t + d, 0),
        );
      } catch {
        /* not a rung folder, or no playlist yet */
      }
    }
    return longest;
  };
}

/** The live transcode's ffmpeg under the transcoder (it reads rtmp://), or null while there is none. */
const liveFfmpeg = (transcoderPid) =>
  descendants(transcoderPid).find((p) => p.cmdline.some((a) => a.startsWith('rtmp://')) && p.cmdline.includes('-filter_complex')) ?? null;

const stack = benchStack('live', { database: 'reelroom_bench_live' });
let browser;
const stop = async () => {
  await browser?.close().catch(() => undefined);
  await stack.stop();
};
process.on('SIGINT', () => void stop().then(() => process.exit(130)));

const results = [];
let exitCode = 0;
try {
  const load0 = loadavg()[0];
  log(
    `viewers=${VIEWERS} seconds=${SECONDS} warmup=${WARMUP} modes=${MODES} ingests=${INGESTS}; ${cpus().length} CPUs; load ${f(load0)}` +
      (PIN ? '; pinned: product on CPU 1, publisher and viewers on CPU 0' : ''),
  );
  if (PIN && cpus().length < 2) throw new Error('--pin needs 2 CPUs or more');
  if (PIN) pin(process.pid, 0);
  stack.freshDatabase();
  const rtmpPort = await freePort();
  const background = await backgroundFrames(SOURCE);
  const { baseUrl: base, api } = await stack.startApi({ RTMP_PORT: String(rtmpPort), RTMP_HOST: '127.0.0.1' });
  const transcoder = await stack.startTranscoder();
  if (PIN) for (const p of [api, transcoder]) pin(p.pid, 1);
  const transcoderLog = join(stack.dir, 'transcoder.log');
  browser = await launchBenchChromium([
    // The host's camera permission without a prompt (its camera itself is clockCameraScript's canvas).
    '--use-fake-ui-for-media-stream',
  ]);
  /** The `recorder` ingest's host: a browser without WebRTC, so the page takes the recorder socket. */
  const NO_WEBRTC = 'delete window.RTCPeerConnection;';
  const signUp = async (page, who) => {
    await page.goto(`${base}/register`);
    await page.getByLabel('Email').fill(`${who.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.test`);
    await page.getByLabel('Display name').fill(who);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('current-user').waitFor();
  };
  const newPage = async (script) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript({ content: script });
    return page;
  };
  const host = await newPage(clockCameraScript());
  await signUp(host, 'Host');
  // The same account in a second page that has no WebRTC (the cookie comes along with the context's state).
  const recorderHost = await (async () => {
    if (!INGESTS.includes('recorder')) return null;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await host.context().storageState() });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript({ content: `${NO_WEBRTC}\n${clockCameraScript()}` });
    return page;
  })();
  const viewers = [];
  for (let i = 0; i < VIEWERS; i++) {
    const page = await newPage(viewerProbeScript());
    await signUp(page, `Viewer ${i + 1}`);
    viewers.push(page);
  }
  const hostApi = async (method, path, data) => {
    const res = await host.request.fetch(`${base}${path}`, { method, data, headers: { origin: base } });
    const text = await res.text();
    return { status: res.status(), body: text ? JSON.parse(text) : null };
  };
  const connected = (page) => page.getByTestId('live-state').and(page.locator('[data-state="connected"]')).waitFor();

  /** One ingest path and mode in a fresh room: publish, measure the window, stop, wait for the replay. */
  const scenario = async (ingest, mode, variant) => {
    const name = `${ingest}/${mode}${variant.name ? ` ${variant.name}` : ''}`;
    const room = await hostApi('POST', '/api/rooms', { name: `Live bench ${name}` });
    if (room.status !== 200 && room.status !== 201) throw new Error(`create room -> ${room.status}: ${JSON.stringify(room.body)}`);
    const roomId = room.body.id;
    const live = await hostApi('POST', `/api/rooms/${roomId}/live`, { mode });
    if (live.status === 400) {
      log(`${ingest}: ${mode}: not available (${live.body?.message ?? 'refused'})`);
      return { ingest, mode, unavailable: live.body?.message ?? 'refused' };
    }
    if (live.status !== 201) throw new Error(`start live -> ${live.status}: ${JSON.stringify(live.body)}`);
    await Promise.all(
      viewers.map((p) =>
        p.evaluate(
          (off) => (off ? localStorage.setItem('reelroom.liveHold', 'off') : localStorage.removeItem('reelroom.liveHold')),
          variant.holdOff,
        ),
      ),
    );
    await Promise.all(viewers.map(async (p) => (await p.goto(`${base}/r/${roomId}`), connected(p))));

    const tStart = Date.now();
    let publisher;
    let hostStopped = false;
    const fromPage = ingest === 'browser' || ingest === 'recorder';
    const hostPage = ingest === 'recorder' ? recorderHost : host;
    /** The host's page stops going live by itself when its upload cannot keep up: what it said. */
    const hostAlerts = () => (fromPage ? hostPage.getByRole('alert').allTextContents() : Promise.resolve([]));
    const stopBrowserLive = () =>
      hostPage
        .getByRole('button', { name: 'Stop live' })
        .click({ timeout: 5000 })
        .catch(() => undefined);
    try {
      if (ingest === 'rtmp') {
        publisher = publishClock(`${live.body.rtmpUrl}/${live.body.streamKey}`, background, SOURCE);
      } else {
        await hostPage.goto(`${base}/r/${roomId}`);
        await connected(hostPage);
        await hostPage.getByRole('button', { name: 'Go live' }).click();
        await hostPage.getByRole('button', { name: 'Use my camera' }).click();
        const preview = hostPage.getByLabel('Your camera preview');
        await until(async () => (await preview.evaluate((v) => v.videoWidth)) > 0, 15_000, 'the camera preview never showed a picture');
        await hostPage.getByRole('button', { name: 'Go live', exact: true }).last().click();
        const liveNow = hostPage.getByRole('status').filter({ hasText: 'You are live from this browser' });
        await liveNow.waitFor({ timeout: 60_000 }); // the room's live on air
        log(`${name}: the page is live over ${await liveNow.getAttribute('data-transport')}`);
      }
      log(`${name}: publishing; waiting for every viewer's first frame with a readable clock`);
      const firstFrame = await Promise.all(
        viewers.map((p) =>
          p
            .waitForFunction(() => window.__g2g.samples.length > 0, null, { timeout: FIRST_FRAME_TIMEOUT_MS, polling: 100 })
            .then(() => (Date.now() - tStart) / 1000)
            .catch(() => null),
        ),
      );
      log(`${name}: first clock frame after ${firstFrame.map((s) => (s === null ? 'never' : `${f(s)} s`)).join(', ')}`);
      if (firstFrame.every((s) => s === null)) {
        // Say what the pages saw: frames shown without a readable clock, no picture at all, the host stopped.
        const seen = await Promise.all(
          viewers.map((p) =>
            p.evaluate(() => {
              const v = document.querySelector('video[data-testid="player"]');
              return { shown: window.__g2g.shown, unread: window.__g2g.unread, readyState: v?.readyState, currentTime: v?.currentTime };
            }),
          ),
        );
        throw new Error(
          `no viewer showed a frame with a readable clock: ${JSON.stringify(seen)}; host: ${JSON.stringify(await hostAlerts())}`,
        );
      }

      if (LOWEST_RUNG) {
        await Promise.all(
          viewers.map((p) =>
            p.evaluate(() => {
              const hls = window.__reelroom?.hls;
              if (!hls || hls.levels.length === 0) return;
              const heights = hls.levels.map((l) => l.height);
              hls.autoLevelCapping = heights.indexOf(Math.min(...heights));
            }),
          ),
        );
      }
      await sleep(WARMUP * 1000);
      if (NUDGE > 0) {
        const moved = await viewers[0].evaluate((sec) => {
          const v = document.querySelector('video[data-testid="player"]');
          if (!v) return false;
          v.currentTime += sec;
          return true;
        }, NUDGE);
        log(`${name}: ${moved ? `moved viewer 1 ${NUDGE} s nearer the edge` : 'viewer 1 has no player to move'}`);
      }
      const ff = liveFfmpeg(transcoder.pid);
      const relays = fromPage ? descendants(api.pid).filter((p) => p.cmdline[0]?.endsWith('ffmpeg')) : [];
      const pubPid = publisher?.process.pid;
      const cpu0 = { ladder: ff && cpuSeconds(ff.pid), relay: relays.map((p) => cpuSeconds(p.pid)), pub: pubPid && cpuSeconds(pubPid) };
      await Promise.all(viewers.map((p) => p.evaluate(() => window.__g2g.reset())));
      const mediaSeconds = liveMediaSeconds(join(stack.dir, 'media'));
      const media0 = mediaSeconds();
      const made0 = publisher?.frames();
      const t0 = Date.now();
      const hlsSays = [];
      while (Date.now() - t0 < SECONDS * 1000) {
        await sleep(2000);
        mediaSeconds();
        for (const p of viewers) {
          const l = await p.evaluate(() => window.__reelroom?.hls?.latency).catch(() => undefined);
          if (Number.isFinite(l) && l > 0) hlsSays.push(l);
        }
      }
      const wall = (Date.now() - t0) / 1000;
      const media1 = mediaSeconds();
      const windowSpeed = media0 !== null && media1 !== null ? (media1 - media0) / wall : NaN;
      // Frames the RTMP publisher made per second: below 30 the ladder encodes duplicates (cheap), so @1.0x understates its cost.
      const publisherFps = publisher ? (publisher.frames() - made0) / wall : NaN;
      const used = (pid, before) => (pid && before !== null && before !== undefined ? (cpuSeconds(pid) ?? NaN) - before : NaN);
      const cores = {
        ladder: ff ? used(ff.pid, cpu0.ladder) / wall : NaN,
        relay: relays.length ? relays.reduce((t, p, i) => t + used(p.pid, cpu0.relay[i]), 0) / wall : NaN,
        publisher: pubPid ? used(pubPid, cpu0.pub) / wall : NaN,
      };
      const perViewer = await Promise.all(viewers.map((p) => p.evaluate(() => ({ ...window.__g2g, reset: undefined }))));
      const speeds = logLines(transcoderLog, t0)
        .filter((l) => l.msg === 'live transcode speed (x real time)' && l.time <= Date.now())
        .map((l) => l.speed);
      const load = loadavg()[0];
      const hostSaid = await hostAlerts();

      // Stop as the host does, then let the replay finish before the next scenario loads the machine (a
      // live that ended by itself during the window, the host's page giving up, may be done already).
      if (publisher) {
        const code = await publisher.stop();
        if (code !== 0) log(`${name}: the publisher exited ${code}: ${publisher.stderr().trim()}`);
      } else {
        await stopBrowserLive();
        hostStopped = true;
      }
      const wound = await (async () => {
        for (const deadline = Date.now() + WIND_DOWN_TIMEOUT_MS; Date.now() < deadline; await sleep(500))
          if (logLines(transcoderLog, tStart).some((l) => l.msg === 'live replay ready' || l.msg === 'live left no replay')) return true;
        return false;
      })();
      if (!wound) log(`${name}: the replay was not ready ${WIND_DOWN_TIMEOUT_MS / 1000} s after the stop; going on`);
      await hostApi('DELETE', `/api/rooms/${roomId}/live`);

      const lat = perViewer.flatMap((v) => v.samples.map(([shown, burned]) => (shown - burned) / 1000)).sort((a, b) => a - b);
      const heights = {};
      for (const v of perViewer) for (const [, , h] of v.samples) heights[h] = (heights[h] ?? 0) + 1;
      const spreads = viewerSpreads(perViewer.map((v) => v.samples));
      const r = {
        ingest,
        mode,
        variant: variant.name,
        viewers: VIEWERS,
        firstFrameSec: firstFrame,
        frames: lat.length,
        unread: perViewer.reduce((t, v) => t + v.unread, 0),
        shownFps: perViewer.map((v) => +(v.shown / wall).toFixed(1)),
        medianSec: pct(lat, 50),
        p95Sec: pct(lat, 95),
        minSec: lat[0],
        maxSec: lat[lat.length - 1],
        viewerMediansSec: perViewer.map((v) =>
          pct(
            v.samples.map(([s, b]) => (s - b) / 1000).sort((a, b) => a - b),
            50,
          ),
        ),
        spreadMedianSec: pct(spreads, 50),
        spreadP95Sec: pct(spreads, 95),
        hlsLatencyMedianSec: pct(
          hlsSays.sort((a, b) => a - b),
          50,
        ),
        heights,
        ladderCores: cores.ladder,
        relayCores: cores.relay,
        publisherCores: cores.publisher,
        publisherFps,
        ladderSpeeds: speeds,
        windowSpeed,
        // Stages: the ladder below real time adds (1 - speed) s of lag every second, and keeps it.
        ladderLagGrowthSec: (1 - windowSpeed) * wall,
        coresForRealTime: cores.ladder / windowSpeed,
        load1: +load.toFixed(1),
        hostSaid,
      };
      return r;
    } finally {
      // A failed scenario leaves nothing publishing into the next one.
      if (publisher && publisher.process.exitCode === null) publisher.process.kill('SIGKILL');
      if (fromPage && !hostStopped) await stopBrowserLive();
      // The camera (a canvas painted 30 times a second) and the preview would go on loading the publisher's
      // CPU through the next scenario.
      if (fromPage) await hostPage.goto('about:blank').catch(() => undefined);
    }
  };
  for (const ingest of INGESTS)
    for (const mode of MODES)
      for (const variant of VARIANTS) {
        try {
          const r = await scenario(ingest, mode, variant);
          results.push(r);
          if (!r.unavailable) console.log(JSON.stringify(r));
        } catch (e) {
          // One path failing (a machine too loaded to go live from the browser) must not hide the others.
          log(`${ingest}/${mode} ${variant.name}: failed: ${e.message.split('\n')[0]}`);
          results.push({ ingest, mode, variant: variant.name, error: e.message.split('\n')[0] });
          exitCode = 1;
        }
      }
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await stop();
}

const measured = results.filter((r) => !r.unavailable && !r.error);
const base = measured[0];
const LABEL = AB ? 28 : 18;
const ratio = (x, b) => (Number.isFinite(x) && Number.isFinite(b) && b > 0 ? `x${(x / b).toFixed(2)}` : '-');
console.log(`\nmachine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; 1-min load average at the end of each window in the rows.`);
console.log('glass to glass (s), over every frame all viewers were shown in the window; ratios against the first row');
console.log(
  `${'ingest/mode'.padEnd(LABEL)}${['frames', 'fps', 'median', 'p95', 'min', 'max', 'hls.js', 'edge', 'grew', 'ladder', 'speed', '@1.0x', 'relay', 'load', 'spread', 'sp.p95'].map((h) => h.padStart(8)).join('')}   vs ${base ? labelOf(base).trim() : '-'}`,
);
for (const r of results) {
  const label = labelOf(r);
  if (r.unavailable) {
    console.log(`${label}${r.mode}: not available (${r.unavailable})`);
    continue;
  }
  if (r.error) {
    console.log(`${label}failed: ${r.error}`);
    continue;
  }
  const cells = [
    String(r.frames),
    f(r.shownFps.reduce((t, x) => t + x, 0) / r.shownFps.length),
    f2(r.medianSec),
    f2(r.p95Sec),
    f2(r.minSec),
    f2(r.maxSec),
    f2(r.hlsLatencyMedianSec),
    f2(r.medianSec - r.hlsLatencyMedianSec),
    f2(r.ladderLagGrowthSec),
    cores(r.ladderCores),
    Number.isFinite(r.windowSpeed) ? `${r.windowSpeed.toFixed(2)}x` : '-',
    cores(r.coresForRealTime),
    cores(r.relayCores),
    f(r.load1),
    f2(r.spreadMedianSec),
    f2(r.spreadP95Sec),
  ];
  console.log(
    `${label}${cells.map((c) => c.padStart(8)).join('')}   median ${ratio(r.medianSec, base.medianSec)}, p95 ${ratio(r.p95Sec, base.p95Sec)}, ladder CPU ${ratio(r.ladderCores, base.ladderCores)}, spread ${ratio(r.spreadMedianSec, base.spreadMedianSec)}`,
  );
  if (r.frames === 0) console.log(`${''.padEnd(LABEL)}no frame with a readable clock was shown in the window`);
  if (r.hostSaid.length) console.log(`${''.padEnd(LABEL)}the host's page said: ${r.hostSaid.join(' / ')}`);
}
console.log(
  '\nfps: frames each viewer was shown per second (30 when the machine keeps up); median/p95: shown minus burned-in time; hls.js: its own latency estimate (edge of the playlist minus playhead, median);' +
    '\nedge: median minus hls.js, the seconds before a frame is listed at the playlist edge (publisher, RTMP, ladder, packager);' +
    '\ngrew: of those, what the ladder added during the window by running below real time ((1 - speed) x window; negative: it caught up);' +
    '\nladder: CPU cores the live transcode ffmpeg used; speed: video seconds it wrote per second of the window (1.00x = real time);' +
    '\n@1.0x: cores it needs to keep real time (ladder / speed: what the 720/480/360 ladder costs, whatever the load);' +
    "\nrelay: cores of the API's relay ffmpeg (browser); ffmpeg's own speed= lines are in the JSON rows (ladderSpeeds)." +
    '\n@1.0x holds only while the publisher makes its 30 frames a second (publisherFps in the JSON rows): with fewer, the ladder' +
    '\nencodes duplicated frames, which cost almost nothing.' +
    '\nspread (median, p95): how far apart the viewers watch, from the frames each showed in the same half second (the largest minus the' +
    '\nsmallest of their median glass to glass; needs --viewers=2 or more).',
);
for (const r of measured) {
  const target = r.mode === 'low' ? { median: 2, p95: 3 } : { median: 5, p95: Infinity };
  const ok = r.medianSec <= target.median && r.p95Sec <= target.p95;
  const verdict = r.frames === 0 ? 'not measured' : ok ? 'met' : 'NOT met';
  console.log(
    `${labelOf(r)}target median <= ${target.median} s${Number.isFinite(target.p95) ? `, p95 <= ${target.p95} s` : ''}: ${verdict}`,
  );
}
process.exit(exitCode);

function labelOf(r) {
  return `${r.ingest}/${r.mode}${r.variant ? ` ${r.variant}` : ''}`.padEnd(LABEL);
}

function cores(x) {
  return Number.isFinite(x) ? `${x.toFixed(2)}c` : '-';
}

function f2(x) {
  return Number.isFinite(x) ? x.toFixed(2) : '-';
}
