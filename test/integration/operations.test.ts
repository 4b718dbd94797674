import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminJobView, AdminQueueView, AdminWorkerView, MeView, RoomView } from '@reelroom/contracts';
import { ApiClient, errorOf } from '../support/api-client.js';
import { FFMPEG_PATH, makeClip } from '../support/media.js';
import { sampleValue, scrape, type Sample } from '../support/prometheus.js';
import { ask, connectSocket, okData } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';
import { TEST_REDIS_URL } from '../support/queue.js';

/** A TCP relay to `target`; close() stops listening and cuts every relayed connection. */
async function tcpRelay(target: URL): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  let closed = false;
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// Issue 10, "See and steer", against the real processes: /metrics on the API and on the transcoder's own
// listener, health probes (ready = 503 when Redis is unreachable), the admin role, Bull Board's gate, and
// the admin API pausing, resuming and retrying real BullMQ jobs.

const ADMIN_EMAIL = `ops-admin-${Date.now()}@example.test`;
const METRICS_TOKEN = 'metrics-token-0123456789';
let stack: Stack;
let admin: ApiClient;
let member: ApiClient;
let anonymous: ApiClient;
let room: RoomView;
let scratch: string;

const apiMetrics = () => scrape(`${stack.baseUrl}/metrics`);
const transcoderUrl = (path: string) => `http://127.0.0.1:${stack.transcoderHttpPorts[0]}${path}`;
const queueOverview = async () => (await admin.json<AdminQueueView[]>('GET', '/api/admin/queues')).find((q) => q.name === 'media')!;
const counter = (samples: Sample[], name: string, labels: Record<string, string>) => sampleValue(samples, name, labels) ?? 0;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-ops-'));
  stack = await startStack({ env: { ADMIN_EMAILS: `someone-else@example.test, ${ADMIN_EMAIL.toUpperCase()}` } });
  admin = new ApiClient(stack.baseUrl);
  await admin.register(ADMIN_EMAIL, 'Operator');
  member = new ApiClient(stack.baseUrl);
  await member.register();
  anonymous = new ApiClient(stack.baseUrl);
  room = await admin.createRoom('Ops room');
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('health probes', () => {
  it('answers live and ready on the API and on the transcoder, and keeps GET /api/health', async () => {
    expect((await anonymous.request('GET', '/api/health/live')).status).toBe(200);
    const ready = await anonymous.request('GET', '/api/health/ready');
    expect(ready.status, await ready.clone().text()).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: { ok: true }, redis: { ok: true } });
    expect((await anonymous.request('GET', '/api/health')).status).toBe(200);

    expect((await fetch(transcoderUrl('/health/live'))).status).toBe(200);
    const tReady = await fetch(transcoderUrl('/health/ready'));
    expect(tReady.status, await tReady.clone().text()).toBe(200);
    expect(await tReady.json()).toMatchObject({ status: 'ready', database: { ok: true }, redis: { ok: true } });
    expect((await fetch(transcoderUrl('/nothing'))).status).toBe(404);
  });

  it('is live but not ready (503, naming Redis) once Redis becomes unreachable, on both processes', async () => {
    // The processes reach Redis through a TCP relay that the test then shuts: Redis "goes away" for them
    // alone (the API does not start without Redis, so a closed port from the start proves nothing).
    const relay = await tcpRelay(new URL(TEST_REDIS_URL));
    const viaRelay = `redis://127.0.0.1:${relay.port}`;
    const api = await stack.startSecondApi({ REDIS_URL: viaRelay });
    const t = await stack.startTranscoder({ REDIS_URL: viaRelay });
    const tPort = stack.transcoderHttpPorts[stack.transcoders.indexOf(t)];
    try {
      expect((await fetch(`${api.baseUrl}/api/health/ready`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${tPort}/health/ready`)).status).toBe(200);
      await relay.close();

      await eventually(async () => (await fetch(`${api.baseUrl}/api/health/ready`)).status).toBe(503);
      const body = (await (await fetch(`${api.baseUrl}/api/health/ready`)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        failed: ['redis'],
        message: 'Not ready: redis unreachable.',
        database: { ok: true },
        redis: { ok: false },
      });
      expect((await fetch(`${api.baseUrl}/api/health/live`)).status).toBe(200);

      await eventually(async () => (await fetch(`http://127.0.0.1:${tPort}/health/ready`)).status).toBe(503);
      expect(await (await fetch(`http://127.0.0.1:${tPort}/health/ready`)).json()).toMatchObject({
        failed: ['redis'],
        redis: { ok: false },
        database: { ok: true },
      });
      expect((await fetch(`http://127.0.0.1:${tPort}/health/live`)).status).toBe(200);
    } finally {
      api.process.kill('SIGKILL');
      t.kill('SIGKILL');
      await relay.close();
    }
  }, 90_000);
});

describe('admin role and gates', () => {
  it('tells the session whether it is an administrator (ADMIN_EMAILS, case-insensitive)', async () => {
    expect(await admin.json<MeView>('GET', '/api/auth/me')).toMatchObject({ email: ADMIN_EMAIL, isAdmin: true });
    expect(await member.json<MeView>('GET', '/api/auth/me')).toMatchObject({ isAdmin: false });
  });

  it('gates Bull Board at /admin/queues: 401 without a session, 403 for a member, the board for an admin', async () => {
    const none = await anonymous.request('GET', '/admin/queues');
    expect(none.status).toBe(401);
    expect((await errorOf(none)).message).toBe('Sign in to continue.');
    const forbidden = await member.request('GET', '/admin/queues');
    expect(forbidden.status).toBe(403);
    expect((await errorOf(forbidden)).message).toBe('Only administrators can open this.');
    // Its API and assets sit behind the same gate.
    expect((await member.request('GET', '/admin/queues/api/queues')).status).toBe(403);

    const board = await admin.request('GET', '/admin/queues');
    expect(board.status).toBe(200);
    const html = await board.text();
    expect(html).toContain('Reelroom queues');
    // Its own CSP on this path only: <base href> and inline styles allowed, scripts still ours only.
    const csp = board.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("script-src 'self';");
    expect((await admin.request('GET', '/api/health')).headers.get('content-security-policy')).toContain("base-uri 'none'");
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    expect((await admin.request('GET', `/admin/queues/${script}`)).status).toBe(200);
    const queues = (await admin.json<{ queues: Array<{ name: string }> }>('GET', '/admin/queues/api/queues')).queues.map((q) => q.name);
    expect(queues.sort()).toEqual(['live', 'media', 'media-audio', 'media-import']);
  });

  it('gates /api/admin/*: 401 without a session, 403 for a member', async () => {
    expect((await anonymous.request('GET', '/api/admin/queues')).status).toBe(401);
    expect((await member.request('GET', '/api/admin/queues')).status).toBe(403);
    expect((await member.request('POST', '/api/admin/queues/media/pause')).status).toBe(403);
    expect((await member.request('GET', '/api/admin/workers')).status).toBe(403);
  });

  it('validates admin requests with sentences', async () => {
    const badQueue = await admin.request('POST', '/api/admin/queues/nope/pause');
    expect(badQueue.status).toBe(400);
    expect((await errorOf(badQueue)).message).toMatch(/Unknown queue; one of media, media-audio, live, media-import/);
    const badState = await admin.request('GET', '/api/admin/queues/media/jobs?state=everything');
    expect(badState.status).toBe(400);
    const badId = await admin.request('POST', '/api/admin/queues/media/jobs/..%2Fx/retry');
    expect(badId.status).toBe(400);
    const missing = await admin.request('POST', '/api/admin/queues/media/jobs/no-such-job/retry');
    expect(missing.status).toBe(404);
    const live = await admin.request('POST', '/api/admin/queues/live/jobs/x/retry');
    expect(live.status).toBe(409);
    expect((await admin.request('POST', '/api/admin/queues/media/pause', { force: true })).status).toBe(400);
  });
});

describe('queues, jobs and metrics', () => {
  let good: string;
  let bad: string;

  it('lists the worker with its host, process and concurrency', async () => {
    await eventually(
      async () => (await admin.json<AdminWorkerView[]>('GET', '/api/admin/workers')).filter((w) => w.queue === 'media').length,
    ).toBe(1);
    const [w] = (await admin.json<AdminWorkerView[]>('GET', '/api/admin/workers')).filter((x) => x.queue === 'media');
    expect(w).toMatchObject({ host: hostname().replace(/[^A-Za-z0-9._-]/g, '_'), pid: stack.transcoders[0].pid, concurrency: 1 });
    expect((await queueOverview()).workers).toBe(1);
    expect(sampleValue(await apiMetrics(), 'reelroom_queue_workers', { queue: 'media' })).toBe(1);
  });

  it('pauses the queue: uploads wait, and /metrics shows the depth and the oldest wait', async () => {
    await admin.json('POST', '/api/admin/queues/media/pause', undefined, 204);
    expect(await queueOverview()).toMatchObject({ paused: true });
    expect(sampleValue(await apiMetrics(), 'reelroom_queue_paused', { queue: 'media' })).toBe(1);

    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'good.mp4' });
    good = (await admin.upload(room.id, clip)).id;
    // moov at the end, cut in half: it passes the upload sniffer and fails in the worker.
    const tail = await makeClip({ seconds: 4, width: 320, height: 240, dir: scratch, name: 'tail.mp4' });
    execFileSync(FFMPEG_PATH, ['-loglevel', 'error', '-y', '-i', tail, '-c', 'copy', join(scratch, 'moovless.mp4')]);
    truncateSync(join(scratch, 'moovless.mp4'), Math.floor(statSync(join(scratch, 'moovless.mp4')).size / 2));
    bad = (await admin.upload(room.id, join(scratch, 'moovless.mp4'))).id;

    await eventually(async () => sampleValue(await apiMetrics(), 'reelroom_queue_jobs', { queue: 'media', state: 'waiting' })).toBe(2);
    await eventually(async () =>
      sampleValue(await apiMetrics(), 'reelroom_queue_oldest_waiting_seconds', { queue: 'media' }),
    ).toBeGreaterThan(0.2);
    const waiting = await admin.json<AdminJobView[]>('GET', '/api/admin/queues/media/jobs?state=waiting');
    expect(waiting.map((j) => j.id)).toEqual([good, bad]);
    expect(waiting[0]).toMatchObject({ mediaId: good, roomId: room.id, name: 'transcode' });
  });

  it('resumes: the jobs run, and the transcoder counts outcomes, durations and encode speed', async () => {
    await admin.json('POST', '/api/admin/queues/media/resume', undefined, 204);
    expect((await admin.waitForMedia(good)).status).toBe('ready');
    expect((await admin.waitForMedia(bad)).status).toBe('failed');
    expect(sampleValue(await apiMetrics(), 'reelroom_queue_paused', { queue: 'media' })).toBe(0);
    await eventually(async () => sampleValue(await apiMetrics(), 'reelroom_queue_jobs', { queue: 'media', state: 'waiting' })).toBe(0);
    expect(sampleValue(await apiMetrics(), 'reelroom_queue_oldest_waiting_seconds', { queue: 'media' })).toBe(0);
    expect(sampleValue(await apiMetrics(), 'reelroom_queue_jobs', { queue: 'media', state: 'failed' })).toBe(1);

    const t = await scrape(transcoderUrl('/metrics'));
    expect(counter(t, 'reelroom_jobs_total', { queue: 'media', outcome: 'completed' })).toBe(1);
    expect(counter(t, 'reelroom_jobs_total', { queue: 'media', outcome: 'failed' })).toBe(1);
    expect(counter(t, 'reelroom_job_duration_seconds_count', { queue: 'media', outcome: 'completed' })).toBe(1);
    expect(counter(t, 'reelroom_job_duration_seconds_sum', { queue: 'media', outcome: 'completed' })).toBeGreaterThan(0);
    expect(counter(t, 'reelroom_encode_speed_ratio_count', {})).toBe(1);
    expect(counter(t, 'reelroom_encode_speed_ratio_sum', {})).toBeGreaterThan(0);
    expect(sampleValue(t, 'reelroom_jobs_running', { queue: 'media' })).toBe(0);
    expect(t.some((s) => s.name === 'process_cpu_seconds_total' && s.labels.app === 'transcoder')).toBe(true);
  }, 120_000);

  it('lists the failed job with its reason and retries it through the media row', async () => {
    const failed = await admin.json<AdminJobView[]>('GET', '/api/admin/queues/media/jobs?state=failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: bad, mediaId: bad });
    expect(failed[0].failedReason).toMatch(/not a video we can read/);

    // A finished transcode's job is not kept.
    expect((await admin.request('POST', `/api/admin/queues/media/jobs/${good}/retry`)).status).toBe(404);

    // Paused, so the retried job is seen waiting before a worker takes it.
    await admin.json('POST', '/api/admin/queues/media/pause', undefined, 204);
    await admin.json('POST', `/api/admin/queues/media/jobs/${bad}/retry`, undefined, 204);
    expect((await admin.json<{ status: string }>('GET', `/api/media/${bad}`)).status).toBe('queued');
    expect((await admin.json<AdminJobView[]>('GET', '/api/admin/queues/media/jobs?state=waiting')).map((j) => j.id)).toEqual([bad]);
    const notFailed = await admin.request('POST', `/api/admin/queues/media/jobs/${bad}/retry`);
    expect(notFailed.status).toBe(409);
    expect((await errorOf(notFailed)).message).toBe(`Job ${bad} is waiting; only a failed job can be retried.`);
    await admin.json('POST', '/api/admin/queues/media/resume', undefined, 204);
    expect((await admin.waitForMedia(bad)).status).toBe('failed');
    await eventually(async () =>
      counter(await scrape(transcoderUrl('/metrics')), 'reelroom_jobs_total', { queue: 'media', outcome: 'failed' }),
    ).toBe(2);
  }, 120_000);
});

describe('API process metrics', () => {
  it('counts sockets, rooms, chat messages and sync commands of this process', async () => {
    const s = await connectSocket(stack.baseUrl, admin.token!);
    try {
      okData(await ask(s, 'room:join', { roomId: room.id }));
      const before = await apiMetrics();
      expect(sampleValue(before, 'reelroom_sockets')).toBe(1);
      expect(sampleValue(before, 'reelroom_rooms')).toBe(1);
      const chat0 = counter(before, 'reelroom_chat_messages_total', {});
      okData(await ask(s, 'chat:send', { body: 'counted' }));
      expect((await ask(s, 'chat:send', { body: 'x'.repeat(501) })).ok).toBe(false); // refused: not counted
      const media = (await admin.json<Array<{ id: string; status: string }>>('GET', `/api/rooms/${room.id}/media`)).find(
        (m) => m.status === 'ready',
      );
      okData(await ask(s, 'sync:command', { type: 'media', mediaId: media!.id, baseSeq: 0 }));
      const after = await apiMetrics();
      expect(counter(after, 'reelroom_chat_messages_total', {}) - chat0).toBe(1);
      expect(counter(after, 'reelroom_sync_commands_total', { action: 'media' })).toBe(1);
    } finally {
      s.disconnect();
    }
    await eventually(async () => sampleValue(await apiMetrics(), 'reelroom_sockets')).toBe(0);
  });

  it('times HTTP requests by route template, never by raw URL', async () => {
    await admin.json('GET', `/api/rooms/${room.id}`);
    await anonymous.request('GET', `/api/nothing-here/${room.id}`);
    const samples = await apiMetrics();
    const routes = new Set(samples.filter((s) => s.name === 'reelroom_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect(routes).toContain('/api/rooms/:id');
    expect(routes).toContain('unmatched');
    expect([...routes].some((r) => r?.includes(room.id))).toBe(false);
    expect(
      counter(samples, 'reelroom_http_request_duration_seconds_count', { route: '/api/rooms/:id', method: 'GET', status: '2xx' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(samples, 'reelroom_live_streams', { state: 'live' })).toBe(0);
  });

  it('asks for the bearer token when METRICS_TOKEN is set, on both processes', async () => {
    const api = await stack.startSecondApi({ METRICS_TOKEN });
    expect((await fetch(`${api.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect(
      sampleValue(await scrape(`${api.baseUrl}/metrics`, METRICS_TOKEN), 'reelroom_queue_workers', { queue: 'media' }),
    ).toBeGreaterThanOrEqual(1);
    api.process.kill('SIGTERM');
    const t = await stack.startTranscoder({ METRICS_TOKEN });
    const port = stack.transcoderHttpPorts[stack.transcoders.indexOf(t)];
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    expect((await scrape(`http://127.0.0.1:${port}/metrics`, METRICS_TOKEN)).length).toBeGreaterThan(0);
    // Probes stay open: the kubelet sends no token.
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
  }, 60_000);
});

describe('OpenAPI', () => {
  it('serves the document and its page, and every documented operation is routed by the running API', async () => {
    const res = await anonymous.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const page = await anonymous.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('GET /api/admin/queues');

    // Called without a session and with placeholder ids, each answers something (401, 400, 404 from a
    // service...), never Nest's "Cannot <METHOD> <path>" for a route that does not exist.
    const unrouted = await anonymous.request('GET', '/api/not-a-route');
    expect((await errorOf(unrouted)).message).toBe('Cannot GET /api/not-a-route');
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{queue\}/g, 'media').replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-000000000000');
        const r = await anonymous.request(method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {});
        const text = await r.text();
        if (r.status === 404 && text.includes('Cannot ')) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
