import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryView, MediaView, QueueView, RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient, errorOf } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { parseMaster, parseMediaPlaylist } from '../support/hls.js';
import { ask, connectSocket, okData, onEvent, type WireSocket } from '../support/socket.js';

// The library (issue 12) against the real stack: a video uploaded once is added to other rooms without
// uploading again; each room's copy is played through that room's access rule; the stored files go with
// the last room that lets go of them; the quota counts them once.
let stack: Stack;
let clip: string;
let clipBytes: number;
let olive: ApiClient; // uploads in room A, adds to B and C
let bob: ApiClient; // hosts room B
let ann: ApiClient; // member of A only
let ben: ApiClient; // member of B only
let stranger: ApiClient;
let benId: string;
let roomA: RoomView;
let roomB: RoomView;
let roomC: RoomView;
let original: MediaView;
let copyB: MediaView;
let copyC: MediaView;
const sockets: WireSocket[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-library-'));
  clip = await makeClip({ seconds: 3, width: 320, height: 240, dir, name: 'clip.mp4' });
  clipBytes = statSync(clip).size;
  // Room for two stored clips and a half, whatever the multipart overhead: three copies of one clip plus
  // a second upload fit only when the copies count once.
  const quota = Math.floor(clipBytes * 2.5);
  // No transcoder at first, so an upload stays queued ("not ready") until the test starts one.
  // BAN_ADDRESS_HOURS=0: every client here is 127.0.0.1, a ban must block the person only.
  stack = await startStack({ transcoders: 0, web: false, env: { USER_QUOTA_BYTES: String(quota), BAN_ADDRESS_HOURS: '0' } });
  const ids = new Map<string, string>();
  const client = async (name: string) => {
    const c = new ApiClient(stack.baseUrl);
    ids.set(name, (await c.register(undefined, name)).user.id);
    return c;
  };
  [olive, bob, ann, ben, stranger] = await Promise.all(['Olive', 'Bob', 'Ann', 'Ben', 'Stan'].map(client));
  benId = ids.get('Ben')!;
  roomA = await olive.createRoom('Room A');
  roomB = await bob.createRoom('Room B');
  roomC = await olive.createRoom('Room C');
  await olive.json('POST', `/api/rooms/${roomB.id}/join`, undefined, 200);
  await ann.json('POST', `/api/rooms/${roomA.id}/join`, undefined, 200);
  await ben.json('POST', `/api/rooms/${roomB.id}/join`, undefined, 200);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

const addFromLibrary = (who: ApiClient, roomId: string, mediaId: unknown) =>
  who.request('POST', `/api/rooms/${roomId}/media/from-library`, { mediaId });
const library = (who: ApiClient = olive) => who.json<LibraryView>('GET', '/api/library');
const roomMedia = (roomId: string, who: ApiClient = olive) => who.json<MediaView[]>('GET', `/api/rooms/${roomId}/media`);

/** Reads the master playlist, a variant and its first segment as `who` would play them; the statuses. */
async function play(who: ApiClient, mediaId: string): Promise<number[]> {
  const master = await who.raw('GET', `/media/${mediaId}/master.m3u8`);
  if (master.status !== 200) return [master.status];
  const variant = parseMaster(await master.text())[0];
  const playlist = await who.raw('GET', `/media/${mediaId}/${variant.uri}`);
  if (playlist.status !== 200) return [200, playlist.status];
  const rungDir = variant.uri.split('/').slice(0, -1).join('/');
  const segment = parseMediaPlaylist(await playlist.text()).segments[0];
  const res = await who.raw('GET', `/media/${mediaId}/${rungDir}/${segment.uri}`);
  const bytes = (await res.arrayBuffer()).byteLength;
  return [200, 200, res.status === 200 && bytes > 0 ? 200 : res.status];
}

describe('my library', () => {
  it('refuses to add a video that is not ready yet (409) and lists it with its status', async () => {
    original = await olive.upload(roomA.id, clip, 'Holiday.mp4');
    const res = await addFromLibrary(olive, roomB.id, original.id);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toMatch(/not ready yet/);
    const lib = await library();
    expect(lib.items).toHaveLength(1);
    expect(lib.items[0]).toMatchObject({ mediaId: original.id, title: 'Holiday.mp4', status: 'queued' });
  });

  it('lists my ready video once with its duration, poster and the room it is in', async () => {
    await stack.startTranscoder();
    expect((await olive.waitForMedia(original.id)).status).toBe('ready');
    const { items } = await library();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ mediaId: original.id, status: 'ready', posterUrl: `/media/${original.id}/poster.jpg` });
    expect(items[0].durationSec).toBeGreaterThan(2);
    expect(items[0].rooms).toEqual([{ roomId: roomA.id, roomName: 'Room A', mediaId: original.id }]);
    expect((await library(ben)).items).toEqual([]);
  });

  it('adds it to another room at once, ready, and the room hears it like a finished upload', async () => {
    const benSocket = await connectSocket(stack.baseUrl, ben.token!);
    sockets.push(benSocket);
    okData(await ask(benSocket, 'room:join', { roomId: roomB.id }));
    const heard: MediaView[] = [];
    onEvent(benSocket, 'media:updated', (m) => heard.push(m));

    const res = await addFromLibrary(olive, roomB.id, original.id);
    expect(res.status).toBe(201);
    copyB = (await res.json()) as MediaView;
    expect(copyB).toMatchObject({
      roomId: roomB.id,
      status: 'ready',
      playable: true,
      originalName: 'Holiday.mp4',
      uploaderId: original.uploaderId,
    });
    expect(copyB.id).not.toBe(original.id);
    expect(copyB.playbackUrl).toBe(`/media/${copyB.id}/master.m3u8`);
    await expect.poll(() => heard.map((m) => m.id), { timeout: 10_000 }).toContain(copyB.id);
    expect((await roomMedia(roomB.id, ben)).map((m) => m.id)).toEqual([copyB.id]);
    // Nothing was uploaded or transcoded again: no folder of its own.
    expect(await stack.stored.keys(`${copyB.id}/`)).toEqual([]);
  });

  it('queues room B’s copy in room B’s Up next; the upload in room A is not room B’s to queue', async () => {
    const bobSocket = await connectSocket(stack.baseUrl, bob.token!);
    sockets.push(bobSocket);
    okData(await ask(bobSocket, 'room:join', { roomId: roomB.id }));
    const queue = okData(await ask<QueueView>(bobSocket, 'queue:add', { mediaId: copyB.id }));
    expect(queue.items.map((i) => [i.mediaId, i.playable])).toEqual([[copyB.id, true]]);
    const refused = await ask(bobSocket, 'queue:add', { mediaId: original.id });
    expect(refused).toMatchObject({ ok: false, error: 'This video is not in this room.' });
    okData(await ask(bobSocket, 'queue:remove', { itemId: queue.items[0].id }));
  });

  it('refuses a second copy in one room with a sentence (409)', async () => {
    const res = await addFromLibrary(olive, roomB.id, original.id);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toBe('This video is already in this room.');
    // Naming the room's own copy is the same video.
    expect((await addFromLibrary(olive, roomB.id, copyB.id)).status).toBe(409);
  });

  it('gives exactly one 201 to concurrent adds of one video to one room', async () => {
    const statuses = await Promise.all(Array.from({ length: 6 }, () => addFromLibrary(olive, roomC.id, original.id)));
    expect(statuses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    copyC = (await statuses.find((r) => r.status === 201)!.json()) as MediaView;
    expect((await roomMedia(roomC.id)).map((m) => m.id)).toEqual([copyC.id]);
    const { items } = await library();
    expect(items).toHaveLength(1);
    expect(items[0].rooms.map((r) => r.roomId).sort()).toEqual([roomA.id, roomB.id, roomC.id].sort());
  });

  it('refuses what is not mine exactly as an unknown id (404, one sentence), bad bodies (400) and rooms I may not upload to (403, as an upload)', async () => {
    // Someone else's video and an id that never existed get the same answer: no probing for which ids exist.
    const notMine = await addFromLibrary(ben, roomB.id, original.id);
    const unknown = await addFromLibrary(ben, roomB.id, '00000000-0000-4000-8000-000000000000');
    expect([notMine.status, unknown.status]).toEqual([404, 404]);
    const [notMineBody, unknownBody] = [await errorOf(notMine), await errorOf(unknown)];
    expect(notMineBody.message).toBe('This video is not in your library (it does not exist or was deleted).');
    expect(notMineBody).toEqual(unknownBody);
    expect((await addFromLibrary(olive, roomB.id, 'nope')).status).toBe(400);
    expect((await olive.request('POST', `/api/rooms/${roomB.id}/media/from-library`, { mediaId: original.id, extra: 1 })).status).toBe(400);
    const strangersRoom = await stranger.createRoom('Elsewhere');
    const upload = await olive.uploadRequest(strangersRoom.id, clip);
    const add = await addFromLibrary(olive, strangersRoom.id, original.id);
    expect(add.status).toBe(403);
    expect(add.status).toBe(upload.status);
  });

  it('counts the stored bytes once against the quota, however many rooms have the video', async () => {
    // Three rooms hold the clip; counted per room it would leave no room for a second clip.
    const second = await olive.upload(roomA.id, clip, 'Second.mp4');
    expect(second.status).toBe('queued');
    const third = await olive.uploadRequest(roomA.id, clip, 'Third.mp4');
    expect(third.status).toBe(413);
    expect((await library()).items).toHaveLength(2);
  });
});

describe('playback of a library copy', () => {
  it('plays for members of the copy’s room only, not through the other room', async () => {
    expect(await play(ben, copyB.id)).toEqual([200, 200, 200]);
    expect(await play(ben, original.id)).toEqual([404]);
    expect(await play(ann, original.id)).toEqual([200, 200, 200]);
    expect(await play(ann, copyB.id)).toEqual([404]);
    expect(await play(stranger, copyB.id)).toEqual([404]);
    expect(await play(stranger, original.id)).toEqual([404]);
    // The poster of a copy is served too (the library shows it).
    expect((await ben.raw('GET', `/media/${copyB.id}/poster.jpg`)).status).toBe(200);
  });

  it('stops playback in room B for someone banned there', async () => {
    const bobSocket = await connectSocket(stack.baseUrl, bob.token!);
    sockets.push(bobSocket);
    okData(await ask(bobSocket, 'room:join', { roomId: roomB.id }));
    okData(await ask(bobSocket, 'mod:kick', { userId: benId, ban: true }));
    expect(await play(ben, copyB.id)).toEqual([404]);
    // Olive, still a member of B, plays on.
    expect(await play(olive, copyB.id)).toEqual([200, 200, 200]);
  });
});

describe('letting go', () => {
  it('deleting the video in room A keeps it playing in room B, with its files', async () => {
    expect((await olive.request('DELETE', `/api/media/${original.id}`)).status).toBe(204);
    expect((await olive.request('GET', `/api/media/${original.id}`)).status).toBe(404);
    expect(await play(olive, copyB.id)).toEqual([200, 200, 200]);
    expect(await stack.stored.exists(`${original.id}/hls/master.m3u8`)).toBe(true);
    const item = (await library()).items.find((i) => i.title === 'Holiday.mp4');
    expect(item?.rooms.map((r) => r.roomId).sort()).toEqual([roomB.id, roomC.id].sort());
    // Still the owner's, still addable to room A again.
    expect((await addFromLibrary(olive, roomA.id, copyB.id)).status).toBe(201);
  });

  it('removes the stored files when the last room lets go of the video', async () => {
    const inA = (await roomMedia(roomA.id)).find((m) => m.originalName === 'Holiday.mp4')!;
    for (const m of [copyC, inA]) expect((await olive.request('DELETE', `/api/media/${m.id}`)).status).toBe(204);
    expect(await stack.stored.exists(`${original.id}/hls/master.m3u8`)).toBe(true);
    expect(await play(olive, copyB.id)).toEqual([200, 200, 200]);
    // Bob hosts room B: the host may delete it there, and it was the last.
    expect((await bob.request('DELETE', `/api/media/${copyB.id}`)).status).toBe(204);
    await expect.poll(() => stack.stored.keys(`${original.id}/`), { timeout: 30_000 }).toEqual([]);
    expect((await library()).items.map((i) => i.title)).toEqual(['Second.mp4']);
  });
});
