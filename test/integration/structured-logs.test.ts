import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView, RoomView } from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';

// Issue 10, logs: one JSON line per event, carrying the request id, user id, room id, media id and job id
// where they apply. Read from the real processes' stdout (the stack's log files), so a line that loses its
// ids (a context not propagated, a mixin removed) fails here.

type Line = Record<string, unknown> & { msg?: string };

let stack: Stack;
let api: ApiClient;
let userId: string;
let room: RoomView;
let scratch: string;

function lines(file: string): Line[] {
  return readFileSync(join(stack.logDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}

/** The first line of `file` that `pred` accepts, polled while the process writes (fails after 20 s). */
async function lineWhere(file: string, pred: (l: Line) => boolean): Promise<Line> {
  const until = Date.now() + 20_000;
  for (;;) {
    const hit = lines(file).find(pred);
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`no such line in ${file}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rr-logs-'));
  // debug: the per-event socket lines (chat and sync traffic) are written at debug.
  stack = await startStack({ env: { LOG_LEVEL: 'debug' } });
  api = new ApiClient(stack.baseUrl);
  userId = (await api.register()).user.id;
  room = await api.createRoom('Logs room');
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('structured logs', () => {
  it('gives an upload request one id, echoed in X-Request-Id, on its access line and on the lines its handler wrote', async () => {
    const clip = await makeClip({ seconds: 2, width: 320, height: 240, dir: scratch, name: 'logs.mp4' });
    const res = await api.uploadRequest(room.id, clip);
    expect(res.status).toBe(202);
    const media = (await res.json()) as MediaView;
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    // Written by MediaService, which passes mediaId/roomId/userId but knows nothing of the request.
    const uploaded = await lineWhere('api.log', (l) => l.msg === 'media uploaded' && l.mediaId === media.id);
    expect(uploaded).toMatchObject({ requestId, userId, roomId: room.id, mediaId: media.id });
    const access = await lineWhere('api.log', (l) => l.msg === 'request' && l.requestId === requestId);
    expect(access).toMatchObject({ method: 'POST', route: '/api/rooms/:id/media', status: 202, userId, roomId: room.id });

    // The job's lines on the transcoder: 'job completed' is written with no ids of its own.
    await api.waitForMedia(media.id, ['ready']);
    const done = await lineWhere('transcoder-0.log', (l) => l.msg === 'job completed' && l.jobId === media.id);
    expect(done).toMatchObject({ jobId: media.id, mediaId: media.id, roomId: room.id, queue: 'media', name: 'transcode' });
    // And the pipeline's own lines (written deeper down) carry them too.
    const jobLines = lines('transcoder-0.log').filter((l) => l.jobId === media.id);
    expect(jobLines.length).toBeGreaterThan(2);
    for (const l of jobLines) expect(l).toMatchObject({ mediaId: media.id, roomId: room.id });
  });

  it("keeps a caller's own X-Request-Id when it is a plain token, and replaces one that is not", async () => {
    const kept = await api.request('GET', `/api/rooms/${room.id}`, undefined, { 'X-Request-Id': 'trace-abc.123' });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    const line = await lineWhere('api.log', (l) => l.msg === 'request' && l.requestId === 'trace-abc.123');
    expect(line).toMatchObject({ route: '/api/rooms/:id', roomId: room.id, userId, status: 200 });

    const replaced = await api.request('GET', `/api/rooms/${room.id}`, undefined, { 'X-Request-Id': 'a b\u00e9<script>' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes a line per socket event with the socket, the user and the room', async () => {
    const socket = await connectSocket(stack.baseUrl, api.token!);
    try {
      expect((await ask(socket, 'room:join', { roomId: room.id })).ok).toBe(true);
      expect((await ask(socket, 'chat:send', { body: 'hello logs' })).ok).toBe(true);
      const refused = await ask(socket, 'chat:send', { body: '   ' });
      expect(refused.ok).toBe(false);

      const join = await lineWhere('api.log', (l) => l.socketId === socket.id && l.msg === 'socket event' && l.event === 'room:join');
      expect(join).toMatchObject({ userId, roomId: room.id });
      const chat = await lineWhere('api.log', (l) => l.socketId === socket.id && l.msg === 'socket event' && l.event === 'chat:send');
      expect(chat).toMatchObject({ userId, roomId: room.id });
      const no = await lineWhere('api.log', (l) => l.socketId === socket.id && l.msg === 'socket event refused');
      expect(no).toMatchObject({ event: 'chat:send', userId, roomId: room.id });
      expect(typeof no.error).toBe('string');
    } finally {
      socket.disconnect();
    }
  });
});
