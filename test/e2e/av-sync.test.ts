import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView, RoomView } from '@reelroom/contracts';
import { controlVideo, eventually, launchBrowser, openPage, signUp } from '../support/browser.js';
import { firstSampleTime } from '../support/hls.js';
import { FFMPEG_PATH } from '../support/media.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Issue 11: audio and video start together for MSE players, which ignore the init segment's edit lists.
 * A clip with a white flash and a 1 kHz beep at the same instants goes through the real stack and plays in
 * Chromium through the room page's hls.js. The flash is found in the frames Chromium decodes and presents
 * (requestVideoFrameCallback's mediaTime of the first bright frame); the beep in the audio bytes hls.js
 * appended to the audio SourceBuffer, placed on the timeline where Chromium buffered them (the
 * SourceBuffer's buffered start) and decoded sample by sample. Under 10 ms apart at every flash.
 */
const run = promisify(execFile);

/** Flash and beep onsets in the source (s): one in the first segment, others later and mid-GOP. */
const ONSETS = [1, 3.3, 4.6];
const FPS = 30;
const RATE = 48_000;

/**
 * Black 640x360 video with a white flash, and silence with a beep, both 0.1 s at every onset. The source's
 * audio is PCM in a .mov, so it has no encoder priming of its own: the offset measured is the pipeline's.
 */
async function flashBeepClip(dir: string): Promise<string> {
  const on = ONSETS.map((t) => `between(t,${t},${t + 0.0999})`).join('+');
  const out = join(dir, 'flash-beep.mov');
  await run(FFMPEG_PATH, [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', `color=c=black:s=640x360:r=${FPS}:d=6,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='${on}'`],
    ...['-f', 'lavfi', '-i', `aevalsrc=exprs='if(${on},0.8*sin(2*PI*1000*t),0)':s=${RATE}:d=6`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', out],
  ]);
  return out;
}

interface Appended {
  mime: string;
  /** Every appendBuffer, in order, base64. */
  chunks: string[];
  /** The SourceBuffer's timestampOffset at each append. */
  offsets: number[];
  buffered: Array<[number, number]>;
}

declare global {
  interface Window {
    __appended?: Array<{ mime: string; sb: SourceBuffer; chunks: Uint8Array[]; offsets: number[] }>;
    __frames?: Array<{ mediaTime: number; presented: number; luma: number }>;
  }
}

/** Before the app's scripts: keep a copy of every byte hls.js appends, per SourceBuffer. */
function recordAppends() {
  const list: NonNullable<Window['__appended']> = [];
  window.__appended = list;
  const add = MediaSource.prototype.addSourceBuffer;
  MediaSource.prototype.addSourceBuffer = function (this: MediaSource, mime: string) {
    const sb = add.call(this, mime);
    list.push({ mime, sb, chunks: [], offsets: [] });
    return sb;
  };
  const append = SourceBuffer.prototype.appendBuffer;
  SourceBuffer.prototype.appendBuffer = function (this: SourceBuffer, data: BufferSource) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const entry = list.find((e) => e.sb === this);
    entry?.chunks.push(bytes.slice());
    entry?.offsets.push(this.timestampOffset);
    append.call(this, data);
  };
}

/** The first sample index of each beep in 16-bit mono PCM: the first loud sample after 50 ms of quiet. */
function beepOnsets(pcm: Buffer): number[] {
  const onsets: number[] = [];
  let quiet = 0;
  for (let i = 0; i < pcm.length / 2; i++) {
    const loud = Math.abs(pcm.readInt16LE(i * 2)) > 3000;
    if (loud && quiet >= RATE * 0.05) onsets.push(i);
    quiet = loud ? 0 : quiet + 1;
  }
  return onsets;
}

/**
 * The single pass, and the chunked path with 2 s chunks (the 6 s clip becomes three chunks, one onset in each):
 * chunks are encoded apart and the audio once for the whole file, so their timelines must still meet.
 */
const PATHS: Array<{ path: string; env: Record<string, string> }> = [
  { path: 'single pass', env: {} },
  { path: 'chunked', env: { CHUNK_THRESHOLD_SEC: '4', CHUNK_SEC: '2' } },
];

describe.each(PATHS)('audio and video together in the browser, $path (issue 11)', ({ env }) => {
  let stack: Stack;
  let browser: Browser;
  let scratch: string;
  let clip: Buffer;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rr-e2e-avsync-'));
    const [s, b, file] = await Promise.all([startStack({ env }), launchBrowser(), flashBeepClip(scratch)]);
    stack = s;
    browser = b;
    clip = await readFile(file);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('shows every flash within 10 ms of its beep, in Chromium through hls.js', { timeout: 240_000 }, async () => {
    const { page, errors } = await openPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
    await page.addInitScript(recordAppends);
    await page.goto(`${stack.baseUrl}/register`);
    await signUp(page, { email: `avsync-${Date.now().toString(36)}@example.test`, displayName: 'Ava', password: 'correct horse battery' });
    const origin = { origin: stack.baseUrl };
    const room = (await (
      await page.request.post(`${stack.baseUrl}/api/rooms`, { data: { name: 'Sync' }, headers: origin })
    ).json()) as RoomView;
    const res = await page.request.post(`${stack.baseUrl}/api/rooms/${room.id}/media`, {
      multipart: { file: { name: 'flash-beep.mov', mimeType: 'video/quicktime', buffer: clip } },
      headers: origin,
    });
    expect(res.status(), await res.text()).toBe(202);
    const media = (await res.json()) as MediaView;
    await eventually(
      async () => ((await (await page.request.get(`${stack.baseUrl}/api/media/${media.id}`)).json()) as MediaView).status,
      120_000,
    ).toBe('ready');

    await page.goto(`${stack.baseUrl}/r/${room.id}`);
    // "Play" goes to the room over the socket: a click before it is connected is refused (and says so).
    await eventually(() => page.getByTestId('live-state').getAttribute('data-state')).toBe('connected');
    await page.getByTestId('media-item').filter({ hasText: 'flash-beep.mov' }).locator('button.media-row').click();
    await page.getByTestId('player').waitFor();
    await page.waitForFunction(() => (window.__reelroom?.hls?.levels.length ?? 0) > 0);

    // Every frame Chromium presents, with its media time and brightness (a 32x18 copy is plenty for a
    // full-frame flash). Half speed, so that a loaded machine presents every frame.
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="player"]')!;
      const canvas = document.createElement('canvas');
      canvas.width = 32;
      canvas.height = 18;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const frames: NonNullable<Window['__frames']> = [];
      window.__frames = frames;
      const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
        ctx.drawImage(v, 0, 0, 32, 18);
        const px = ctx.getImageData(0, 0, 32, 18).data;
        let sum = 0;
        for (let i = 0; i < px.length; i += 4) sum += px[i];
        frames.push({ mediaTime: meta.mediaTime, presented: meta.presentedFrames, luma: sum / (px.length / 4) });
        v.requestVideoFrameCallback(onFrame);
      };
      v.requestVideoFrameCallback(onFrame);
    });
    // Flash onsets: a bright frame whose presented predecessor was dark and exactly one frame earlier (a
    // frame skipped there would make the onset look later than it is). The room may correct a late start
    // with a seek past an onset: then the clip plays again from the start, until every onset was seen.
    const flashes = new Map<number, number>();
    for (let pass = 0; pass < 4 && flashes.size < ONSETS.length; pass++) {
      await page.evaluate(() => (window.__frames!.length = 0));
      await controlVideo(page, { seek: 0, rate: 0.5, play: true });
      await page.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="player"]')!.currentTime > 5, null, {
        timeout: 60_000,
      });
      const frames = await page.evaluate(() => window.__frames!);
      for (let i = 1; i < frames.length; i++) {
        const [prev, cur] = [frames[i - 1], frames[i]];
        const onset = ONSETS.find((t) => Math.abs(cur.mediaTime - t) < 0.3);
        if (onset !== undefined && cur.luma > 128 && prev.luma < 64 && Math.abs(cur.mediaTime - prev.mediaTime - 1 / FPS) < 0.001)
          flashes.set(onset, cur.mediaTime);
      }
    }
    expect([...flashes.keys()].sort(), errors.join('\n')).toEqual(ONSETS);

    // What was appended, and where Chromium placed it.
    const appended: Appended[] = await page.evaluate(() =>
      window.__appended!.map((e) => ({
        mime: e.mime,
        chunks: e.chunks.map((c) => {
          let s = '';
          for (const byte of c) s += String.fromCharCode(byte);
          return btoa(s);
        }),
        offsets: e.offsets,
        buffered: Array.from(
          { length: e.sb.buffered.length },
          (_, i) => [e.sb.buffered.start(i), e.sb.buffered.end(i)] as [number, number],
        ),
      })),
    );
    const audio = appended.find((a) => a.mime.startsWith('audio/'));
    expect(audio, appended.map((a) => a.mime).join()).toBeDefined();
    expect(audio!.buffered.length).toBeGreaterThan(0);
    // Where the first appended audio sample lies on the player's timeline: its time in the segment (tfdt)
    // plus the SourceBuffer's offset (hls.js maps the video's first frame to 0). Chromium drops what falls
    // before 0 (the append window), which is where the AAC priming samples belong; every later sample keeps
    // its place. The appended bytes are decoded from that first sample on, priming included (edit lists
    // ignored, as MSE does).
    // A replay from the start makes hls.js append some segments again: each segment once, in time order.
    const [audioInit, ...appendedSegments] = audio!.chunks.map((c) => Buffer.from(c, 'base64'));
    const byTime = new Map<number, Buffer>();
    for (const seg of appendedSegments) {
      const t = Math.round(firstSampleTime(audioInit, seg) * 1000);
      if (!byTime.has(t)) byTime.set(t, seg);
    }
    const segments = [...byTime.entries()].sort(([a], [b]) => a - b).map(([, seg]) => seg);
    expect(new Set(audio!.offsets.slice(1)).size, 'one timestampOffset for every audio append').toBe(1);
    const audioStart = firstSampleTime(audioInit, segments[0]) + audio!.offsets[1];
    expect(audio!.buffered[0][0]).toBeCloseTo(Math.max(0, audioStart), 3);
    const mp4 = join(scratch, 'appended-audio.mp4');
    await writeFile(mp4, Buffer.concat([audioInit, ...segments]));
    const { stdout } = await run(
      FFMPEG_PATH,
      ['-v', 'error', '-ignore_editlist', '1', '-i', mp4, '-ac', '1', '-ar', String(RATE), '-f', 's16le', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 64 << 20 },
    );
    const beeps = beepOnsets(stdout).map((i) => audioStart + i / RATE);
    expect(beeps).toHaveLength(ONSETS.length);

    const flashTimes = ONSETS.map((t) => flashes.get(t)!);
    const gapsMs = flashTimes.map((f, i) => Math.round((beeps[i] - f) * 10_000) / 10);
    console.warn(
      `[av-sync] flashes at ${flashTimes.join(', ')} s, beeps at ${beeps.map((b) => b.toFixed(4)).join(', ')} s: beep - flash ${gapsMs.join(', ')} ms`,
    );
    for (const [i, gap] of gapsMs.entries()) expect(Math.abs(gap), `onset ${ONSETS[i]} s`).toBeLessThan(10);
    // And at the instants the source has them (the whole timeline is not shifted either).
    for (const [i, f] of flashTimes.entries()) expect(Math.abs(f - ONSETS[i])).toBeLessThan(0.05);
  });
});
