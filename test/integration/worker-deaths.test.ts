import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { FFMPEG_PATH, makeClip } from '../support/media.js';
import { parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { openMediaQueue } from '../support/queue.js';

// Issue 10: a job whose worker is killed under it is not a poison job that kills its worker. The first
// dies at a new point each time and must end ready however often that happens (BullMQ's old limit failed
// it after 3 stalls); the second dies at the same point every time and must fail with a sentence after
// 5 deaths in a row (SAME_POINT_DEATHS in apps/transcoder/src/jobs/worker-deaths.ts), and no worker dies
// for it again. WORKER_LOCK_MS=3000 makes a dead worker's job stall after ~3 s instead of 30 s.

let stack: Stack;
let owner: ApiClient;
let scratch: string;
let mediaQueue: ReturnType<typeof openMediaQueue>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-deaths-'));
  stack = await startStack({ web: false, transcoders: 0, env: { WORKER_LOCK_MS: '3000' } });
  owner = new ApiClient(stack.baseUrl);
  await owner.register();
  mediaQueue = openMediaQueue(stack.queuePrefix);
});

afterAll(async () => {
  await mediaQueue?.close();
  await stack?.stop();
});

const ended = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
const exited = (c: ChildProcess) => (ended(c) ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));
const logOf = (t: ChildProcess) => readFileSync(join(stack.logDir, `transcoder-${stack.transcoders.indexOf(t)}.log`), 'utf8');
const startsIn = (t: ChildProcess, mediaId: string) =>
  logOf(t)
    .split('\n')
    .filter((l) => l.includes(mediaId) && l.includes('"transcode started"')).length;
/** The percent the job last reported (the run in progress, or where the last one died). */
const reported = async (mediaId: string): Promise<number> => {
  const progress: unknown = (await mediaQueue.queue.getJob(mediaId))?.progress;
  return typeof progress === 'object' && progress !== null && 'percent' in progress && typeof progress.percent === 'number'
    ? progress.percent
    : -1;
};

describe('worker deaths (issue 10)', () => {
  it('a job whose worker is SIGKILLed more often than the old stall limit, at a new point each time, still ends ready and whole', async () => {
    const room = await owner.createRoom('Killed often');
    const seconds = 8;
    const clip = await makeClip({ seconds, width: 1280, height: 720, dir: scratch, name: 'often.mp4' });
    const { id } = await owner.upload(room.id, clip);
    const killed: ChildProcess[] = [];
    // Each run starts over from 0 %; killing it once it passes a higher mark each time makes every death
    // land at a new point (the marks are further apart than the rule's tolerance).
    for (const mark of [10, 30, 50, 70]) {
      const t = await stack.startTranscoder();
      await expect.poll(() => startsIn(t, id), { timeout: 120_000, interval: 100 }).toBe(1);
      await expect.poll(() => reported(id), { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(mark);
      t.kill('SIGKILL');
      await exited(t);
      killed.push(t);
    }
    const last = await stack.startTranscoder();
    const m = await owner.waitForMedia(id, ['ready', 'failed'], 180_000);
    expect(m.status, m.error ?? '').toBe('ready');

    const master = parseMaster(await (await owner.request('GET', m.playbackUrl!)).text());
    expect(master.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);
    for (const v of master) {
      const pl = parseMediaPlaylist(await (await owner.request('GET', `/media/${m.id}/${v.uri}`)).text());
      expect(pl.ended).toBe(true);
      expect(pl.segments.reduce((sum, s) => sum + s.duration, 0)).toBeCloseTo(seconds, 0);
    }
    // Five starts: four deaths (one more than BullMQ's old limit of 3 allowed), then the one that finished.
    expect(killed.map((t) => startsIn(t, id))).toEqual([1, 1, 1, 1]);
    expect(startsIn(last, id)).toBe(1);
    expect(logOf(last)).toMatch(/"stalls":4,"diedAt":[\d.]+,"inARow":1,.*"job started again after its worker died"/);
    expect(await owner.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`)).toHaveLength(1);
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => [join(d, e.name), ...(e.isDirectory() ? walk(join(d, e.name)) : [])]);
    expect(walk(join(stack.mediaRoot, id)).filter((p) => /\.tmp|\.old-|\.partial/.test(p))).toEqual([]);
    last.kill('SIGTERM');
    await exited(last);
  }, 600_000);

  it('a job that kills its worker at the same point every time fails after 5 deaths in a row, with a sentence, and kills no worker after', async () => {
    // Stands in for a file that crashes the process converting it: the worker dies as ffmpeg opens the input.
    const crashing = join(scratch, 'crashing-ffmpeg.sh');
    writeFileSync(crashing, `#!/bin/sh\ncase " $* " in *" -i "*) kill -KILL $PPID ;; esac\nexec ${FFMPEG_PATH} "$@"\n`);
    chmodSync(crashing, 0o755);
    const room = await owner.createRoom('Poison');
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'poison.mp4' });
    const { id } = await owner.upload(room.id, clip);
    const status = async () => (await owner.json<MediaView>('GET', `/api/media/${id}`)).status;

    const workers: ChildProcess[] = [];
    for (let i = 0; i < 8; i++) {
      const t = await stack.startTranscoder({ FFMPEG_PATH: crashing });
      workers.push(t);
      await expect.poll(async () => ended(t) || (await status()) === 'failed', { timeout: 120_000, interval: 200 }).toBe(true);
      if (!ended(t)) break;
    }
    const survivor = workers.at(-1)!;
    expect(workers.filter(ended)).toHaveLength(5);
    expect(ended(survivor)).toBe(false);
    expect(workers.map((t) => startsIn(t, id))).toEqual([1, 1, 1, 1, 1, 0]);

    const m = await owner.waitForMedia(id, ['failed'], 30_000);
    expect(m.error).toBe(
      'We could not convert this video: it stopped our converter at the same point each time. The file may be damaged; try exporting it again.',
    );
    const job = await mediaQueue.queue.getJob(id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toBe('its worker died at the same point: 5 times in a row at 0 %');
    expect(logOf(survivor)).toContain('"job failed: it kills its workers"');
    survivor.kill('SIGTERM');
    await exited(survivor);
  }, 600_000);
});
