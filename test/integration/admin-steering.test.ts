import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerProcessKey, type AdminWorkerView, type MediaView, type RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { openMediaQueue } from '../support/queue.js';
import { startStack, type Stack } from '../support/stack.js';

// Issue 10, steering from the admin console with real processes: an administrator cancels a running
// transcode (ffmpeg stops on the worker, the media ends failed and can be retried), drains a worker (it
// finishes its job and takes no new one) and resumes it.

const ADMIN_EMAIL = `steer-admin-${Date.now()}@example.test`;
let stack: Stack;
let mediaQueue: ReturnType<typeof openMediaQueue>;
let admin: ApiClient;
let member: ApiClient;
let room: RoomView;
let scratch: string;
let shortClip: string;
let longClip: string;
let mediumClip: string;

const transcoderLog = () => readFileSync(join(stack.logDir, 'transcoder-0.log'), 'utf8');
const status = async (id: string) => (await admin.json<MediaView>('GET', `/api/media/${id}`)).status;
const mediaWorkers = async () => (await admin.json<AdminWorkerView[]>('GET', '/api/admin/workers')).filter((w) => w.queue === 'media');

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-steer-'));
  stack = await startStack({ web: false, env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  mediaQueue = openMediaQueue(stack.queuePrefix);
  admin = new ApiClient(stack.baseUrl);
  await admin.register(ADMIN_EMAIL, 'Operator');
  member = new ApiClient(stack.baseUrl);
  await member.register();
  room = await admin.createRoom('Steering');
  shortClip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'short.mp4' });
  // Long enough to still be encoding when the cancel or the drain arrives on a busy 2-core machine.
  longClip = await makeClip({ seconds: 30, width: 1280, height: 720, dir: scratch, name: 'long.mp4' });
  // Still encoding a moment after it starts, yet done in well under a minute.
  mediumClip = await makeClip({ seconds: 10, width: 640, height: 360, dir: scratch, name: 'medium.mp4' });
}, 120_000);

afterAll(async () => {
  await mediaQueue?.close();
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('cancel a job from the admin console', () => {
  it('stops a running transcode on its worker; the media ends failed as cancelled by an administrator', async () => {
    const m = await admin.upload(room.id, longClip, 'cancel-me.mp4');
    await expect.poll(() => status(m.id), { timeout: 60_000, interval: 100 }).toBe('processing');

    expect((await member.request('POST', `/api/admin/queues/media/jobs/${m.id}/cancel`)).status).toBe(403);
    const res = await admin.request('POST', `/api/admin/queues/media/jobs/${m.id}/cancel`);
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await admin.json<MediaView>('GET', `/api/media/${m.id}`)).toMatchObject({
      status: 'failed',
      error: 'Cancelled by an administrator.',
    });
    await expect.poll(() => /cancel requested: stopping ffmpeg/.test(transcoderLog()), { timeout: 15_000 }).toBe(true);
    // Failed for good, not retried: BullMQ moves it to failed once the handler returned.
    await expect.poll(async () => (await mediaQueue.queue.getJob(m.id))?.getState(), { timeout: 15_000, interval: 100 }).toBe('failed');
    expect(await status(m.id)).toBe('failed');

    // Once over, it cannot be cancelled again; nor can a job that does not exist, nor a live.
    expect((await admin.request('POST', `/api/admin/queues/media/jobs/${m.id}/cancel`)).status).toBe(409);
    expect((await admin.request('POST', '/api/admin/queues/media/jobs/no-such-job/cancel')).status).toBe(404);
    expect((await admin.request('POST', '/api/admin/queues/live/jobs/x/cancel')).status).toBe(409);
    expect((await admin.request('POST', `/api/admin/queues/media/jobs/${m.id}/cancel`, { why: 1 })).status).toBe(400);
  });
});

describe('drain a worker from the admin console', () => {
  it('finishes the running job, takes no new one while drained, and takes it once resumed', async () => {
    const [w] = await mediaWorkers();
    expect(w).toMatchObject({ draining: false });
    const key = workerProcessKey(w.host!, w.pid!);

    const running = await admin.upload(room.id, mediumClip, 'drain-running.mp4');
    await expect.poll(() => status(running.id), { timeout: 60_000, interval: 100 }).toBe('processing');
    expect((await member.request('POST', `/api/admin/workers/${key}/drain`)).status).toBe(403);
    expect((await admin.request('POST', `/api/admin/workers/${key}/drain`)).status).toBe(204);
    await expect.poll(async () => (await mediaWorkers())[0]?.draining, { timeout: 10_000, interval: 100 }).toBe(true);
    await expect.poll(() => /worker draining: taking no new jobs/.test(transcoderLog()), { timeout: 10_000 }).toBe(true);

    const next = await admin.upload(room.id, shortClip, 'drain-next.mp4');
    // The running job is not touched: it finishes on the drained worker.
    expect((await admin.waitForMedia(running.id, ['ready', 'failed'], 180_000)).status).toBe('ready');
    // Its slot is free now; a worker taking jobs would start the next one within milliseconds.
    await expect
      .poll(() => new RegExp(`"jobId":"${running.id}"[^\\n]*"job completed"`).test(transcoderLog()), { timeout: 10_000 })
      .toBe(true);
    expect(await status(next.id)).toBe('queued');
    expect(await (await mediaQueue.queue.getJob(next.id))?.getState()).toBe('waiting');

    expect((await admin.request('POST', `/api/admin/workers/${key}/resume`)).status).toBe(204);
    expect((await admin.waitForMedia(next.id)).status).toBe('ready');
    expect((await mediaWorkers())[0]).toMatchObject({ draining: false });
  }, 300_000);

  it('answers 404 for a worker that is not connected and 400 for a malformed name', async () => {
    expect((await admin.request('POST', '/api/admin/workers/nohost~1/drain')).status).toBe(404);
    expect((await admin.request('POST', '/api/admin/workers/bad%20name/drain')).status).toBe(400);
  });
});
