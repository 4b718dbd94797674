import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MediaView, RoomView, ServerToClientEvents } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { openMediaQueue } from '../support/queue.js';

// Queue position, cancel, retry and delete, with real processes. The stack starts with no transcoder
// so that jobs stay queued until the test starts one.
let stack: Stack;
let mediaQueue: ReturnType<typeof openMediaQueue>;
let owner: ApiClient;
let viewer: ApiClient;
let stranger: ApiClient;
let room: RoomView;
let shortClip: string;
let longClip: string;

beforeAll(async () => {
  stack = await startStack({ transcoders: 0, web: false });
  mediaQueue = openMediaQueue(stack.queuePrefix);
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Olive');
  viewer = new ApiClient(stack.baseUrl);
  await viewer.register(undefined, 'Vic');
  stranger = new ApiClient(stack.baseUrl);
  await stranger.register(undefined, 'Stan');
  room = await owner.createRoom('Lifecycle');
  await viewer.json('POST', `/api/rooms/${room.id}/join`, undefined, 200);
  const dir = mkdtempSync(join(tmpdir(), 'rr-life-'));
  shortClip = await makeClip({ seconds: 2, width: 320, height: 240, dir, name: 'short.mp4' });
  // Long enough to be cancelled and deleted mid-encode; 10 frames a second keeps the retry's full encode cheap.
  longClip = await makeClip({ seconds: 40, width: 1280, height: 720, fps: 10, dir, name: 'long.mp4' });
});
afterAll(async () => {
  await mediaQueue?.close();
  await stack?.stop();
});

const list = () => owner.json<MediaView[]>('GET', `/api/rooms/${room.id}/media`);
const byId = async (id: string) => (await list()).find((m) => m.id === id);

describe('queued media', () => {
  let a: MediaView;
  let b: MediaView;
  let c: MediaView;

  it('shows each waiting item its place in the queue, first come first served', async () => {
    a = await owner.upload(room.id, shortClip, 'a.mp4');
    b = await owner.upload(room.id, shortClip, 'b.mp4');
    c = await owner.upload(room.id, shortClip, 'c.mp4');
    expect((await byId(a.id))?.queuePosition).toBe(1);
    expect((await byId(b.id))?.queuePosition).toBe(2);
    expect((await byId(c.id))?.queuePosition).toBe(3);
    expect((await owner.json<MediaView>('GET', `/api/media/${c.id}`)).queuePosition).toBe(3);
  });

  it('lets only the uploader or the host manage media: 403 for other members, 404 for strangers', async () => {
    for (const [method, path] of [
      ['POST', `/api/media/${a.id}/cancel`],
      ['POST', `/api/media/${a.id}/retry`],
      ['DELETE', `/api/media/${a.id}`],
    ] as const) {
      expect((await viewer.request(method, path)).status, `${method} ${path}`).toBe(403);
      expect((await stranger.request(method, path)).status, `${method} ${path}`).toBe(404);
    }
  });

  it('cancels a queued item: failed with who cancelled it, out of the queue, the others move up', async () => {
    const cancelled = await owner.json<MediaView>('POST', `/api/media/${b.id}/cancel`, undefined, 200);
    expect(cancelled).toMatchObject({ status: 'failed', error: 'Cancelled by Olive.', queuePosition: null });
    expect((await byId(c.id))?.queuePosition).toBe(2);
    expect((await owner.request('POST', `/api/media/${b.id}/cancel`)).status).toBe(409);
  });

  it('retries a failed item: queued again at the back of the queue; a non-failed item cannot be retried', async () => {
    const retried = await owner.json<MediaView>('POST', `/api/media/${b.id}/retry`, undefined, 202);
    expect(retried).toMatchObject({ status: 'queued', error: null, queuePosition: 3 });
    expect((await owner.request('POST', `/api/media/${a.id}/retry`)).status).toBe(409);
  });

  it('deletes a queued item with its files, tells the room, and the queue closes the gap', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(stack.baseUrl, {
      path: '/socket.io',
      auth: { token: viewer.token },
      transports: ['websocket'],
    });
    const deleted: string[] = [];
    socket.on('media:deleted', (p) => deleted.push(p.mediaId));
    await socket.timeout(5000).emitWithAck('room:join', { roomId: room.id });
    expect(await stack.stored.exists(`${a.id}/source`)).toBe(true);
    expect((await owner.request('DELETE', `/api/media/${a.id}`)).status).toBe(204);
    expect((await owner.request('GET', `/api/media/${a.id}`)).status).toBe(404);
    expect(await stack.stored.keys(`${a.id}/`)).toEqual([]);
    await expect.poll(() => deleted).toEqual([a.id]);
    expect((await byId(c.id))?.queuePosition).toBe(1);
    socket.close();
  });

  it('processes what is left once a worker starts, including the retried item', async () => {
    await stack.startTranscoder();
    expect((await owner.waitForMedia(c.id)).status).toBe('ready');
    expect((await owner.waitForMedia(b.id)).status).toBe('ready');
  });
});

describe('running media', () => {
  const waitProcessing = async (id: string) => {
    await expect
      .poll(async () => (await owner.json<MediaView>('GET', `/api/media/${id}`)).status, { timeout: 30_000, interval: 100 })
      .toBe('processing');
  };

  it('cancels a running transcode: ffmpeg is stopped, the media fails as cancelled, and a retry then finishes it', async () => {
    const m = await owner.upload(room.id, longClip, 'long.mp4');
    await waitProcessing(m.id);
    const cancelled = await owner.json<MediaView>('POST', `/api/media/${m.id}/cancel`, undefined, 200);
    expect(cancelled).toMatchObject({ status: 'failed', error: 'Cancelled by Olive.' });
    // The worker heard the request and stopped; the state stays cancelled (the worker does not overwrite it).
    const logs = () => stack.transcoders.map((_, i) => readFileSync(join(stack.logDir, `transcoder-${i}.log`), 'utf8')).join('\n');
    await expect
      .poll(() => /cancel requested: stopping ffmpeg/.test(logs()) && /transcode cancelled/.test(logs()), { timeout: 15_000 })
      .toBe(true);
    // BullMQ moves the job to failed only after the handler returned, its last write included: had the
    // worker overwritten the row, it would have done so by then.
    await expect.poll(async () => (await mediaQueue.queue.getJob(m.id))?.getState(), { timeout: 15_000, interval: 100 }).toBe('failed');
    expect((await owner.json<MediaView>('GET', `/api/media/${m.id}`)).status).toBe('failed');

    await owner.json('POST', `/api/media/${m.id}/retry`, undefined, 202);
    const ready = await owner.waitForMedia(m.id, ['ready', 'failed'], 120_000);
    expect(ready.status).toBe('ready');
    expect(ready.renditions).toHaveLength(3);
  });

  it('deletes a running transcode: row and files gone, and the worker goes on to the next upload', async () => {
    const m = await owner.upload(room.id, longClip, 'doomed.mp4');
    await waitProcessing(m.id);
    expect((await owner.request('DELETE', `/api/media/${m.id}`)).status).toBe(204);
    const next = await owner.upload(room.id, shortClip, 'next.mp4');
    expect((await owner.waitForMedia(next.id)).status).toBe('ready');
    expect((await owner.request('GET', `/api/media/${m.id}`)).status).toBe(404);
    expect(await stack.stored.keys(`${m.id}/`)).toEqual([]);
  });
});
