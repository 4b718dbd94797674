import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaView, RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';
import { multipartBody, openRequest } from '../support/raw-http.js';

// Issue 9, "Uploads ignore membership changes" and "Storage limits": each attack performed against the
// real API, PostgreSQL and Redis, and its refusal asserted.
const MiB = 1024 * 1024;
const MAX = 40 * MiB;
const QUOTA = 60 * MiB;
const TUS = { 'Tus-Resumable': '1.0.0' };
const OCTETS = { ...TUS, 'Content-Type': 'application/offset+octet-stream' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

let stack: Stack;
let host: ApiClient;
let clip: Buffer;
const sockets: WireSocket[] = [];
const dirFiles = (area: string) => (existsSync(join(stack.mediaRoot, area)) ? readdirSync(join(stack.mediaRoot, area)) : []);
const tusFiles = () => dirFiles('.tus');
const incomingFiles = () => dirFiles('.incoming');

function createTus(c: ApiClient, size: number, roomId: string, filename = 'x.mp4') {
  return c.raw('POST', '/api/uploads', {
    ...TUS,
    'Upload-Length': String(size),
    'Upload-Metadata': `roomId ${b64(roomId)},filename ${b64(filename)}`,
  });
}
async function createTusOk(c: ApiClient, size: number, roomId: string): Promise<string> {
  const res = await createTus(c, size, roomId);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.headers.get('location')!.split('/').pop()!;
}
const patch = (c: ApiClient, id: string, offset: number, body: Buffer) =>
  c.raw('PATCH', `/api/uploads/${id}`, { ...OCTETS, 'Upload-Offset': String(offset) }, body);
const head = (c: ApiClient, id: string) => c.raw('HEAD', `/api/uploads/${id}`, TUS);
const messageOf = async (res: Response) => (JSON.parse(await res.text()) as { message: string }).message;

async function member(roomId: string): Promise<ApiClient> {
  const c = new ApiClient(stack.baseUrl);
  await c.register();
  await c.json('POST', `/api/rooms/${roomId}/join`, {}, 200);
  return c;
}
const hostedRoom = (name: string): Promise<RoomView> => host.createRoom(name);
/** The host bans (or kicks) `c` from the room, as the web app does: over a socket in the room. */
async function ban(roomId: string, c: ApiClient, asBan = true): Promise<void> {
  const { id } = await c.json<{ id: string }>('GET', '/api/auth/me');
  const hostSocket = await connectSocket(stack.baseUrl, host.token!);
  sockets.push(hostSocket);
  expect(await ask(hostSocket, 'room:join', { roomId })).toMatchObject({ ok: true });
  expect(await ask(hostSocket, 'mod:kick', { userId: id, ban: asBan })).toMatchObject({ ok: true });
}
const mediaOf = (roomId: string) => host.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`);

beforeAll(async () => {
  stack = await startStack({ web: false, env: { MAX_UPLOAD_BYTES: String(MAX), USER_QUOTA_BYTES: String(QUOTA) } });
  host = new ApiClient(stack.baseUrl);
  await host.register();
  clip = readFileSync(await makeClip({ seconds: 2, width: 320, height: 240, dir: mkdtempSync(join(tmpdir(), 'rr-secup-')) }));
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('uploads follow room membership', () => {
  it('a banned uploader: the next PATCH is refused (403), the upload and its bytes are removed', async () => {
    const room = await hostedRoom('Ban mid-upload');
    const uploader = await member(room.id);
    const id = await createTusOk(uploader, clip.length, room.id);
    expect((await patch(uploader, id, 0, clip.subarray(0, 1000))).status).toBe(204);
    await ban(room.id, uploader);
    const res = await patch(uploader, id, 1000, clip.subarray(1000));
    expect(res.status).toBe(403);
    expect(tusFiles().filter((f) => f.startsWith(id))).toEqual([]);
    expect((await head(uploader, id)).status).toBe(404);
    expect(await mediaOf(room.id)).toEqual([]);
  });

  it('a ban while the last PATCH is streaming: the completed upload is refused (403), its bytes removed, no media row', async () => {
    const room = await hostedRoom('Ban at completion');
    const uploader = await member(room.id);
    const id = await createTusOk(uploader, clip.length, room.id);
    const half = Math.floor(clip.length / 2);
    const req = openRequest(`${stack.baseUrl}/api/uploads/${id}`, 'PATCH', {
      ...OCTETS,
      'Upload-Offset': '0',
      'Content-Length': String(clip.length),
      authorization: `Bearer ${uploader.token}`,
    });
    await req.write(clip.subarray(0, half));
    // The PATCH was admitted (the uploader was a member) and its bytes are landing.
    await eventually(() =>
      existsSync(join(stack.mediaRoot, '.tus', id)) ? statSync(join(stack.mediaRoot, '.tus', id)).size : 0,
    ).toBeGreaterThan(0);
    await ban(room.id, uploader);
    await req.end(clip.subarray(half));
    const res = await req.response;
    expect(res.status, res.body).toBe(403);
    expect(tusFiles().filter((f) => f.startsWith(id))).toEqual([]);
    expect((await head(uploader, id)).status).toBe(404);
    expect(await mediaOf(room.id)).toEqual([]);
  });

  it('a kicked member cannot go on uploading either (403)', async () => {
    const room = await hostedRoom('Kick mid-upload');
    const uploader = await member(room.id);
    const id = await createTusOk(uploader, clip.length, room.id);
    await ban(room.id, uploader, false);
    expect((await patch(uploader, id, 0, clip)).status).toBe(403);
    expect(await mediaOf(room.id)).toEqual([]);
  });

  it('a closed room refuses multipart (410) and tus creation (410), and ends uploads already in flight', async () => {
    const room = await hostedRoom('Closing');
    const uploader = await member(room.id);
    const inFlight = await createTusOk(uploader, clip.length, room.id);
    await host.json('POST', `/api/rooms/${room.id}/close`, undefined, 200);
    const path = join(mkdtempSync(join(tmpdir(), 'rr-secup-')), 'a.mp4');
    await import('node:fs/promises').then((fs) => fs.writeFile(path, clip));
    const multipart = await uploader.uploadRequest(room.id, path);
    expect(multipart.status).toBe(410);
    const tus = await createTus(uploader, clip.length, room.id);
    expect(tus.status).toBe(410);
    expect(await messageOf(tus)).toMatch(/closed/);
    expect((await patch(uploader, inFlight, 0, clip)).status).toBe(410);
    expect(tusFiles().filter((f) => f.startsWith(inFlight))).toEqual([]);
    expect(incomingFiles()).toEqual([]);
    expect(await mediaOf(room.id)).toEqual([]);
  });

  it('a member in good standing still completes (control)', async () => {
    const room = await hostedRoom('Control');
    const uploader = await member(room.id);
    const id = await createTusOk(uploader, clip.length, room.id);
    const res = await patch(uploader, id, 0, clip);
    expect(res.status).toBe(204);
    expect((await mediaOf(room.id)).map((m) => m.id)).toEqual([res.headers.get('reelroom-media-id')]);
  });
});

describe('storage limits hold under concurrency', () => {
  it('20 parallel tus creations reserve no more than the quota', async () => {
    const room = await hostedRoom('Parallel');
    const u = await member(room.id);
    const size = 7 * MiB;
    const results = await Promise.all(Array.from({ length: 20 }, () => createTus(u, size, room.id)));
    const statuses = results.map((r) => r.status);
    // 60 MiB holds eight 7 MiB uploads, not one more.
    expect(statuses.filter((s) => s === 201)).toHaveLength(Math.floor(QUOTA / size));
    expect(statuses.filter((s) => s === 413)).toHaveLength(20 - Math.floor(QUOTA / size));
  });

  it('multipart over the quota is refused from its declared length, before the body is sent', async () => {
    const room = await hostedRoom('Over quota');
    const u = await member(room.id);
    await createTusOk(u, 35 * MiB, room.id);
    const before = incomingFiles();
    const data = Buffer.alloc(30 * MiB, 1);
    const body = multipartBody('file', 'big.mp4', data);
    const req = openRequest(`${stack.baseUrl}/api/rooms/${room.id}/media`, 'POST', {
      'Content-Type': body.contentType,
      'Content-Length': String(body.length),
      authorization: `Bearer ${u.token}`,
    });
    // Only the part headers are sent: the answer comes without the file's bytes.
    await req.write(body.head);
    const res = await req.response;
    req.destroy();
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/storage quota/);
    expect(incomingFiles()).toEqual(before);
  });

  it('multipart over MAX_UPLOAD_BYTES is refused before the body (413); without Content-Length it is 411', async () => {
    const room = await hostedRoom('Too big');
    const u = await member(room.id);
    const body = multipartBody('file', 'huge.mp4', Buffer.alloc(0));
    const req = openRequest(`${stack.baseUrl}/api/rooms/${room.id}/media`, 'POST', {
      'Content-Type': body.contentType,
      'Content-Length': String(MAX + MiB),
      authorization: `Bearer ${u.token}`,
    });
    await req.write(body.head);
    const res = await req.response;
    req.destroy();
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/larger than the upload limit/);

    const chunked = openRequest(`${stack.baseUrl}/api/rooms/${room.id}/media`, 'POST', {
      'Content-Type': body.contentType,
      'Transfer-Encoding': 'chunked',
      authorization: `Bearer ${u.token}`,
    });
    await chunked.write(body.head);
    const refused = await chunked.response;
    chunked.destroy();
    expect(refused.status).toBe(411);
  });

  it('a multipart upload in flight holds its declared length against the quota until it ends', async () => {
    const room = await hostedRoom('In flight');
    const u = await member(room.id);
    const data = Buffer.alloc(30 * MiB, 1);
    const body = multipartBody('file', 'slow.mp4', data);
    const before = incomingFiles();
    const req = openRequest(`${stack.baseUrl}/api/rooms/${room.id}/media`, 'POST', {
      'Content-Type': body.contentType,
      'Content-Length': String(body.length),
      authorization: `Bearer ${u.token}`,
    });
    await req.write(body.head);
    await req.write(data.subarray(0, MiB));
    // multer is writing it: the request passed the reservation.
    await eventually(() => incomingFiles().length).toBeGreaterThan(before.length);
    const res = await createTus(u, 31 * MiB, room.id);
    expect(res.status).toBe(413);
    // The slow upload is abandoned: its reservation goes with the request.
    req.destroy();
    await eventually(async () => (await createTus(u, 31 * MiB, room.id)).status).toBe(201);
  });
});
