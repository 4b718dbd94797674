import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, PlaybackStateView, QueueView, RoomView } from '@reelroom/contracts';
import { startStack, type Stack } from '../support/stack.js';
import { ApiClient } from '../support/api-client.js';
import { makeClip } from '../support/media.js';
import { ask, connectSocket, nextEvent, okData, onEvent, type WireSocket } from '../support/socket.js';
import { eventually } from '../support/wait.js';

/**
 * Issue 12, "Up next": who may change the queue, reordering, the advance when the playing item ends
 * (decided by the server, across two API processes), skip, and skip votes crossing the majority at once.
 */

let stack: Stack;
let second: { baseUrl: string };
const sockets: WireSocket[] = [];

async function inRoom(baseUrl: string, token: string, roomId: string): Promise<WireSocket> {
  const s = await connectSocket(baseUrl, token);
  sockets.push(s);
  okData(await ask(s, 'room:join', { roomId }));
  return s;
}

const names = (q: QueueView) => q.items.map((i) => i.name);
const queueOf = async (s: WireSocket) => okData(await ask<QueueView>(s, 'queue:get', {}));
const stateOf = async (s: WireSocket) =>
  okData(await ask<{ playback: PlaybackStateView }>(s, 'room:join', { roomId: roomIdOf(s) })).playback;
const joined = new Map<WireSocket, string>();
const roomIdOf = (s: WireSocket) => joined.get(s)!;

beforeAll(async () => {
  stack = await startStack({ web: false });
  second = await stack.startSecondApi();
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('Up next (real stack: PostgreSQL, Redis, transcoder, two API processes)', () => {
  let ana: ApiClient;
  let bo: ApiClient;
  let cy: ApiClient;
  let room: RoomView;
  let anaSocket: WireSocket;
  let boSocket: WireSocket;
  let cySocket: WireSocket;
  const media: Record<string, string> = {};
  // System lines by id: a folded burst updates its line (chat:updated) instead of adding one.
  const byId = new Map<string, string>();
  const lines = () => [...byId.values()];
  let boId = '';

  beforeAll(async () => {
    ana = new ApiClient(stack.baseUrl);
    bo = new ApiClient(stack.baseUrl);
    cy = new ApiClient(stack.baseUrl);
    await ana.register(undefined, 'Ana');
    boId = (await bo.register(undefined, 'Bo')).user.id;
    await cy.register(undefined, 'Cy');
    room = await ana.createRoom();
    await bo.json('POST', `/api/rooms/${room.id}/join`, {});
    await cy.json('POST', `/api/rooms/${room.id}/join`, {});
    const clip = await makeClip({ seconds: 2, width: 160, height: 120 });
    for (const name of ['one.mp4', 'two.mp4', 'three.mp4']) media[name] = (await ana.upload(room.id, clip, name)).id;
    // Long enough not to end while people vote on it.
    media['long.mp4'] = (await ana.upload(room.id, await makeClip({ seconds: 40, width: 160, height: 120 }), 'long.mp4')).id;
    for (const id of Object.values(media)) expect((await ana.waitForMedia(id)).status).toBe('ready');

    anaSocket = await inRoom(stack.baseUrl, ana.token!, room.id);
    boSocket = await inRoom(second.baseUrl, bo.token!, room.id); // the other API process
    cySocket = await inRoom(stack.baseUrl, cy.token!, room.id);
    for (const s of [anaSocket, boSocket, cySocket]) joined.set(s, room.id);
    const record = (m: ChatMessage) => void (m.kind === 'system' && byId.set(m.id, m.body));
    onEvent(anaSocket, 'chat:message', record);
    onEvent(anaSocket, 'chat:updated', record);
  });

  it('lets the host and moderators change the queue, everyone once the host opens it, and adders remove their own', async () => {
    expect(await ask(boSocket, 'queue:add', { mediaId: media['one.mp4'] })).toEqual({
      ok: false,
      error: 'Only the host and moderators can change Up next in this room.',
    });
    const bad = await ask(anaSocket, 'queue:add', { mediaId: 'not-a-uuid' });
    expect(bad.ok === false && bad.error).toMatch(/^Invalid queue:add payload/);

    const seenByBo = nextEvent(boSocket, 'queue:state', (q) => q.items.length === 2);
    okData(await ask(anaSocket, 'queue:add', { mediaId: media['one.mp4'] }));
    okData(await ask(anaSocket, 'queue:add', { mediaId: media['two.mp4'] }));
    expect(names(await seenByBo)).toEqual(['one.mp4', 'two.mp4']);
    await eventually(() => lines().at(-1)).toBe('Ana added two.mp4 to Up next'); // one person's burst folds into one line
    expect(lines()).not.toContain('Ana added one.mp4 to Up next');

    // A video of another room is not this room's to queue.
    const elsewhere = await ana.createRoom();
    const foreign = (await ana.upload(elsewhere.id, await makeClip({ seconds: 1, width: 160, height: 120 }))).id;
    expect(await ask(anaSocket, 'queue:add', { mediaId: foreign })).toEqual({ ok: false, error: 'This video is not in this room.' });

    await ana.json('PATCH', `/api/rooms/${room.id}`, { queueOpen: true });
    const bos = okData(await ask<QueueView>(boSocket, 'queue:add', { mediaId: media['three.mp4'] }));
    expect(names(bos)).toEqual(['one.mp4', 'two.mp4', 'three.mp4']);
    expect(bos.items[2].addedBy?.name).toBe('Bo');

    await ana.json('PATCH', `/api/rooms/${room.id}`, { queueOpen: false });
    const [one, , three] = bos.items;
    expect(await ask(boSocket, 'queue:remove', { itemId: one.id })).toEqual({
      ok: false,
      error: 'Only the host and moderators can change Up next in this room.',
    });
    expect(names(okData(await ask<QueueView>(boSocket, 'queue:remove', { itemId: three.id })))).toEqual(['one.mp4', 'two.mp4']);
    expect(await ask(anaSocket, 'queue:remove', { itemId: three.id })).toEqual({ ok: false, error: 'This item is no longer in Up next.' });
  });

  it('reorders, and keeps positions dense under concurrent moves', async () => {
    const q = await queueOf(anaSocket);
    const [one, two] = q.items;
    expect(names(okData(await ask<QueueView>(anaSocket, 'queue:move', { itemId: two.id, index: 0 })))).toEqual(['two.mp4', 'one.mp4']);
    // Two moves at once, each under the room's lock: whatever order they land in, both items stay, once each.
    await Promise.all([
      ask(anaSocket, 'queue:move', { itemId: one.id, index: 0 }),
      ask(anaSocket, 'queue:move', { itemId: two.id, index: 5 }),
    ]);
    expect(names(await queueOf(boSocket))).toEqual(['one.mp4', 'two.mp4']);
  });

  it('starts the first item on skip, then the next one for everyone when it ends, decided by the server', async () => {
    expect(await ask(boSocket, 'queue:skip', { mediaId: null })).toMatchObject({ ok: true }); // control is not locked
    const playing = await stateOf(cySocket);
    expect(playing).toMatchObject({ mediaId: media['one.mp4'], paused: false });
    expect(names(await queueOf(cySocket))).toEqual(['two.mp4']);

    // Nobody reports anything: the process that started the item checks at its end and starts the next.
    const next = await nextEvent(boSocket, 'sync:state', (s) => s.mediaId === media['two.mp4'], 15_000);
    expect(next.paused).toBe(false);
    // The item leaves the list right after it started (the queue:state follows the sync:state).
    await eventually(() => queueOf(anaSocket)).toEqual({ items: [], vote: null });
    await eventually(() => lines()).toContain('Up next: two.mp4');

    // At the end of the last item with nothing up next, the room stays on it; skip says why it cannot.
    expect(await ask(anaSocket, 'queue:skip', { mediaId: media['two.mp4'] })).toEqual({ ok: false, error: 'Nothing is up next.' });
    expect(await ask(anaSocket, 'queue:skip', { mediaId: media['one.mp4'] })).toEqual({
      ok: false,
      error: 'What is playing changed just before that; look again.',
    });
  });

  it('skips by vote once a majority of those present voted, exactly once when the deciding votes cross', async () => {
    // Paused, so nothing ends on its own while people vote.
    const st = await stateOf(anaSocket);
    okData(await ask(anaSocket, 'sync:command', { type: 'media', mediaId: media['three.mp4'], baseSeq: st.seq }));
    okData(await ask(anaSocket, 'queue:add', { mediaId: media['long.mp4'] }));
    okData(await ask(anaSocket, 'queue:add', { mediaId: media['two.mp4'] }));

    expect(await ask(boSocket, 'queue:vote', { mediaId: media['three.mp4'] })).toEqual({
      ok: false,
      error: 'This room does not take skip votes.',
    });
    await ana.json('PATCH', `/api/rooms/${room.id}`, { skipVote: true });

    // Three people present: two votes skip.
    const first = okData(await ask<QueueView>(boSocket, 'queue:vote', { mediaId: media['three.mp4'] }));
    expect(first.vote).toEqual({ mediaId: media['three.mp4'], votes: 1, needed: 2, voterIds: [boId] });
    expect(okData(await ask<QueueView>(boSocket, 'queue:vote', { mediaId: media['three.mp4'] })).vote?.votes).toBe(1); // once per person
    expect((await queueOf(cySocket)).vote?.votes).toBe(1);

    // Ana and Cy vote at once, on two API processes' worth of sockets: each may see the majority, one skips.
    const replies = await Promise.all([
      ask<QueueView>(cySocket, 'queue:vote', { mediaId: media['three.mp4'] }),
      ask<QueueView>(anaSocket, 'queue:vote', { mediaId: media['three.mp4'] }),
    ]);
    for (const r of replies) expect(r.ok).toBe(true);
    expect((await stateOf(boSocket)).mediaId).toBe(media['long.mp4']);
    expect(names(await queueOf(boSocket))).toEqual(['two.mp4']);
    await eventually(() => lines().some((l) => /^Skipped by vote \([23] of 2\): now long\.mp4$/.test(l))).toBe(true);

    // A late vote on what was skipped is refused, not counted against the new item.
    expect(await ask(boSocket, 'queue:vote', { mediaId: media['three.mp4'] })).toEqual({
      ok: false,
      error: 'What is playing changed just before that; look again.',
    });
  });
});
