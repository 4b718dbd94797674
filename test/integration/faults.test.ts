import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import type { MediaView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { openMediaQueue, TEST_REDIS_URL } from '../support/queue.js';
import { privateRedis, type PrivateServer } from '../support/private-services.js';

// Issue 4, "Jobs are idempotent and survive faults", with real processes: a worker SIGKILLed mid-ffmpeg,
// a hung ffmpeg, SIGTERM during a job, a Redis restart with queued jobs, and an upload while Redis is down.
// WORKER_LOCK_MS=3000 makes a dead worker's job stall after ~3 s instead of BullMQ's 30 s default.

const LOCK_MS = '3000';
let stack: Stack;
let owner: ApiClient;
let scratch: string;
let mediaQueue: ReturnType<typeof openMediaQueue>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-faults-'));
  // A grace longer than any job here, so "SIGTERM finishes the job" does not depend on the machine's speed;
  // the hand-back test starts its own worker with no grace.
  stack = await startStack({ web: false, transcoders: 0, env: { WORKER_LOCK_MS: LOCK_MS, SHUTDOWN_GRACE_SEC: '600' } });
  owner = new ApiClient(stack.baseUrl);
  await owner.register();
  mediaQueue = openMediaQueue(stack.queuePrefix);
});

afterAll(async () => {
  await mediaQueue?.close();
  await stack?.stop();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const childPids = (pid: number): Array<{ pid: number; comm: string }> => {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [p, comm] = l.trim().split(/\s+/);
        return { pid: Number(p), comm: comm ?? '' };
      });
  } catch {
    return []; // ps exits 1 when there are none
  }
};
const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve({ code: c.exitCode, signal: c.signalCode })
    : new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => c.once('exit', (code, signal) => r({ code, signal })));
const logOf = (s: Stack, t: ChildProcess) => readFileSync(join(s.logDir, `transcoder-${s.transcoders.indexOf(t)}.log`), 'utf8');
const startedIn = (s: Stack, t: ChildProcess, mediaId: string) =>
  logOf(s, t)
    .split('\n')
    .filter((l) => l.includes(mediaId) && l.includes('"transcode started"')).length;

async function expectCompleteHls(client: ApiClient, m: MediaView, seconds: number) {
  expect(m.status, m.error ?? '').toBe('ready');
  const master = await client.request('GET', m.playbackUrl!);
  expect(master.status).toBe(200);
  const variants = parseMaster(await master.text());
  expect(variants.map((v) => v.attrs.RESOLUTION)).toEqual(['1280x720', '854x480', '640x360']);
  for (const v of variants) {
    const res = await client.request('GET', `/media/${m.id}/${v.uri}`);
    const pl = parseMediaPlaylist(await res.text());
    expect(pl.ended).toBe(true);
    const total = pl.segments.reduce((sum, s) => sum + s.duration, 0);
    expect(total).toBeCloseTo(seconds, 0);
  }
}

/** No work dirs (.tmp-*, .old-*) anywhere under the media's directory. */
function strayFiles(root: string, mediaId: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => [join(d, e.name), ...(e.isDirectory() ? walk(join(d, e.name)) : [])]);
  return walk(join(root, mediaId)).filter((p) => /\.tmp|\.old-|\.partial/.test(p));
}

describe('faults with real processes', () => {
  it('SIGKILL mid-transcode: its ffmpeg dies with it, the other worker finishes the job with correct output, one row, no stray files', async () => {
    const a = await stack.startTranscoder();
    const b = await stack.startTranscoder();
    const room = await owner.createRoom('Kill');
    // 10 frames a second: the ladder still takes seconds (the kill lands mid-encode), at a third of the cost.
    const clip = await makeClip({ seconds: 12, width: 1280, height: 720, fps: 10, dir: scratch, name: 'kill.mp4' });
    const { id } = await owner.upload(room.id, clip);

    // Find the worker running it by its ffmpeg child, while ffmpeg is encoding.
    let victim: ChildProcess | undefined;
    let ffmpegPid = 0;
    await expect
      .poll(
        () => {
          for (const t of [a, b]) {
            const ff = childPids(t.pid!).find((c) => c.comm === 'ffmpeg');
            if (ff) [victim, ffmpegPid] = [t, ff.pid];
          }
          return ffmpegPid;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBeGreaterThan(0);
    const survivor = victim === a ? b : a;
    // Well into the encode: the first segment of every rung is out (the media is playable) and more are
    // coming, so the kill leaves partial output behind for the next worker to replace.
    await expect
      .poll(
        async () => {
          const m = await owner.json<MediaView>('GET', `/api/media/${id}`);
          return { status: m.status, playable: m.playable };
        },
        { timeout: 30_000, interval: 100 },
      )
      .toEqual({ status: 'processing', playable: true });
    victim!.kill('SIGKILL');
    await exited(victim!);
    // ffmpeg ignores SIGPIPE; without the runner's parent-death signal it would keep encoding as an orphan.
    await expect.poll(() => alive(ffmpegPid), { timeout: 3000, interval: 100 }).toBe(false);

    const done = await owner.waitForMedia(id, ['ready', 'failed'], 120_000);
    await expectCompleteHls(owner, done, 12);
    expect(startedIn(stack, victim!, id)).toBe(1);
    expect(startedIn(stack, survivor, id)).toBe(1);
    expect(await owner.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`)).toHaveLength(1);
    expect(strayFiles(stack.mediaRoot, id)).toEqual([]);
    expect(readdirSync(join(stack.mediaRoot, id)).sort()).toEqual(['hls', 'source']);
  });

  it('SIGTERM during a job: the worker finishes the running job, then exits cleanly', async () => {
    const worker = stack.transcoders.find((t) => t.exitCode === null && t.signalCode === null)!;
    const room = await owner.createRoom('Term');
    const clip = await makeClip({ seconds: 6, width: 1280, height: 720, dir: scratch, name: 'term.mp4' });
    const { id } = await owner.upload(room.id, clip);
    await expect.poll(() => childPids(worker.pid!).some((c) => c.comm === 'ffmpeg'), { timeout: 30_000, interval: 100 }).toBe(true);
    worker.kill('SIGTERM');
    const exit = await exited(worker);
    // Nest re-raises the signal after its shutdown hooks, so "clean" is SIGTERM after close() returned.
    expect(exit.code === 0 || exit.signal === 'SIGTERM', JSON.stringify(exit)).toBe(true);
    const m = await owner.json<MediaView>('GET', `/api/media/${id}`);
    expect(m.status).toBe('ready'); // finished before the process was gone
    await expectCompleteHls(owner, m, 6);
    expect(logOf(stack, worker)).toContain('stopping worker');
  });

  it('SIGTERM past the shutdown grace: the running job goes back to the queue at once, unused, and another worker finishes it', async () => {
    // A lock far longer than the test: only the hand-back can free the job, never the stalled-job check.
    const leaving = await stack.startTranscoder({ SHUTDOWN_GRACE_SEC: '0', WORKER_LOCK_MS: '600000' });
    const room = await owner.createRoom('Hand back');
    const clip = await makeClip({ seconds: 8, width: 1280, height: 720, dir: scratch, name: 'handback.mp4' });
    const { id } = await owner.upload(room.id, clip);
    let ffmpegPid = 0;
    await expect
      .poll(() => (ffmpegPid = childPids(leaving.pid!).find((c) => c.comm === 'ffmpeg')?.pid ?? 0), { timeout: 30_000, interval: 100 })
      .toBeGreaterThan(0);
    leaving.kill('SIGTERM');
    await exited(leaving);

    // A dead worker's job would stay active until its lock expired; a handed-back one is waiting now,
    // with no attempt used, and people see it queued again.
    const job = await mediaQueue.queue.getJob(id);
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect((await owner.json<MediaView>('GET', `/api/media/${id}`)).status).toBe('queued');
    expect(logOf(stack, leaving)).toContain('job handed back to the queue');
    expect(alive(ffmpegPid)).toBe(false); // stopped before the worker let go of the job

    const next = await stack.startTranscoder();
    const done = await owner.waitForMedia(id, ['ready', 'failed'], 120_000);
    await expectCompleteHls(owner, done, 8);
    expect(startedIn(stack, leaving, id)).toBe(1);
    expect(startedIn(stack, next, id)).toBe(1);
    expect(await owner.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`)).toHaveLength(1);
    expect(strayFiles(stack.mediaRoot, id)).toEqual([]);
    // Idle: leaves at once, so the next test's worker is the only one.
    next.kill('SIGTERM');
    await exited(next);
  });

  it('a hung ffmpeg is killed by the wall-clock timeout: failed with a reason, no retry, worker alive', async () => {
    // Stands in for an ffmpeg stuck on a pathological file: never writes, never exits.
    const fake = join(scratch, 'hung-ffmpeg.sh');
    writeFileSync(fake, '#!/bin/sh\nexec sleep 86399.25\n');
    chmodSync(fake, 0o755);
    const t = await stack.startTranscoder({ FFMPEG_PATH: fake, TRANSCODE_TIMEOUT_SEC: '2' });
    const room = await owner.createRoom('Hung');
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'hung.mp4' });
    const started = Date.now();
    const m = await owner.waitForMedia((await owner.upload(room.id, clip)).id, ['ready', 'failed'], 30_000);
    expect(m.status).toBe('failed');
    expect(m.error).toBe('This file took longer than 2 s to convert, so we stopped. Try a shorter or smaller file.');
    expect(Date.now() - started).toBeLessThan(15_000);
    const job = await mediaQueue.queue.getJob(m.id);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
    expect(childPids(t.pid!)).toEqual([]); // the sleeping "ffmpeg" was killed
    expect(t.exitCode).toBeNull();
    expect(readdirSync(join(stack.mediaRoot, m.id))).toEqual(['source']);
    t.kill('SIGTERM');
    await exited(t);
  });

  it('a job BullMQ gives up on after its workers keep dying ends failed with a sentence, not "converting" for ever', async () => {
    // No transcoder of ours runs now. A worker in this process takes the job and "dies" (closes without
    // releasing it); a second one finds it stalled, and with no stalls allowed BullMQ fails the job itself:
    // the path a job takes when its workers are SIGKILLed more often than maxStalledCount allows.
    const room = await owner.createRoom('Abandoned');
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'abandoned.mp4' });
    const { id } = await owner.upload(room.id, clip);
    // Ours is the only job the workers below can take.
    expect((await mediaQueue.queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).map((j) => j.id)).toEqual([id]);
    const connection = () => new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const opts = { prefix: stack.queuePrefix, lockDuration: 1000, stalledInterval: 500, maxStalledCount: 0 };
    let taken!: () => void;
    const tookIt = new Promise<void>((r) => (taken = r));
    const dying = new Worker('media', () => (taken(), new Promise<never>(() => undefined)), { ...opts, connection: connection() });
    await tookIt;
    await dying.close(true); // gone without a word: the lock is no longer renewed
    // Workers take turns at the stalled check: the last one to run it (an earlier test's worker, with a
    // 600 s lock) holds the turn for its stalledInterval. Hand it to the checker below.
    const admin = connection();
    await admin.del(`${stack.queuePrefix}:media:stalled-check`);
    admin.disconnect();
    const checker = new Worker('media', () => Promise.resolve(), { ...opts, connection: connection() });
    try {
      const m = await owner.waitForMedia(id, ['ready', 'failed'], 30_000);
      expect(m.status).toBe('failed');
      expect(m.error).toBe('We could not convert this video: the servers converting it kept stopping. Try again.');
      expect((await mediaQueue.queue.getJob(id))?.failedReason).toMatch(/stalled more than allowable limit/);
    } finally {
      await checker.close();
    }
  });
});

describe('Redis faults', () => {
  let redis: PrivateServer;
  let rstack: Stack;
  let client: ApiClient;

  beforeAll(async () => {
    redis = await privateRedis();
    rstack = await startStack({ web: false, transcoders: 0, env: { REDIS_URL: redis.url } });
    client = new ApiClient(rstack.baseUrl);
    await client.register();
  });
  afterAll(async () => {
    await rstack?.stop();
    await redis?.dispose();
  });

  it('keeps queued jobs across a Redis restart (AOF), answers 503 fast while Redis is down, and keeps nothing from that upload', async () => {
    const room = await client.createRoom('Restart');
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'queued.mp4' });
    const queued = [await client.upload(room.id, clip), await client.upload(room.id, clip)];
    expect(queued.map((m) => m.status)).toEqual(['queued', 'queued']);

    await redis.stop();
    const dirsBefore = readdirSync(rstack.mediaRoot).sort();
    const t0 = Date.now();
    const res = await client.uploadRequest(room.id, clip);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toMatch(/queue is unavailable/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(readdirSync(rstack.mediaRoot).sort()).toEqual(dirsBefore);
    expect(readdirSync(join(rstack.mediaRoot, '.incoming'))).toEqual([]);
    expect(await client.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`)).toHaveLength(2);

    await redis.start();
    await rstack.startTranscoder();
    for (const m of queued) expect((await client.waitForMedia(m.id, ['ready', 'failed'], 60_000)).status).toBe('ready');
  });
});
