import { describe, expect, it } from 'vitest';
import type { ChatMessage, MediaView, RoomSnapshot } from '@reelroom/contracts';
import { NO_ANSWER, NOT_CONNECTED, RoomSocket, type ConnectionState, type RoomSubscriptionHandlers } from './room-socket';
import { FakeSocket } from './testing/fake-socket';
import { liveView } from '../features/live/testing/live-view';

const ROOM = 'room-1';

const snapshotOf = (roomId: string): RoomSnapshot => ({
  room: {
    id: roomId,
    name: 'Film night',
    ownerId: 'u1',
    createdAt: '2026-01-01T00:00:00.000Z',
    myRole: 'viewer',
    hasPin: false,
    options: { controlLocked: false, waitForEveryone: false, queueOpen: false, skipVote: false },
    closedAt: null,
  },
  me: { userId: 'u2', name: 'Bo', role: 'viewer' },
  members: [],
  presenceVersion: 0,
  playback: { mediaId: null, paused: true, position: 0, rate: 1, anchorServerTime: 0, seq: 0, by: null },
  chat: [],
  live: liveView(),
  cameras: { peers: [], limit: 6 },
  serverTime: 1,
});

function setup() {
  const socket = new FakeSocket();
  let opened = 0;
  const rooms = new RoomSocket(() => {
    opened += 1;
    return socket;
  });
  return { socket, rooms, opened: () => opened };
}

/** Handlers that write down what they were told. */
function recorder() {
  const log: string[] = [];
  const states: ConnectionState[] = [];
  const handlers: RoomSubscriptionHandlers = {
    onConnectionChange: (state, error) => {
      states.push(state);
      if (error) log.push(`error:${error}`);
    },
    onSnapshot: (s) => log.push(`snapshot:${s.room.id}`),
    onMediaUpdated: (m) => log.push(`media:${m.id}`),
    onMediaDeleted: (id) => log.push(`deleted:${id}`),
    onChatMessage: (m) => log.push(`chat:${m.body}`),
    onSyncState: (s) => log.push(`sync:${s.seq}`),
  };
  return { log, states, handlers };
}

describe(RoomSocket.name, () => {
  it('opens one connection for every subscriber and sends one join per room, however many subscribe', () => {
    const { socket, rooms, opened } = setup();
    const a = recorder();
    const b = recorder();
    rooms.subscribe(ROOM, a.handlers);
    rooms.subscribe(ROOM, b.handlers);
    expect(opened()).toBe(1);
    expect(socket.connectCalls).toBe(2);
    socket.goOnline();
    expect(socket.requests('room:join')).toEqual([{ payload: { roomId: ROOM }, timeoutMs: 10_000 }]);
    socket.answer('room:join', { ok: true, data: snapshotOf(ROOM) });
    expect(a.log).toEqual([`snapshot:${ROOM}`]);
    expect(b.log).toEqual([`snapshot:${ROOM}`]);
    expect(a.states).toEqual(['connecting', 'connecting', 'connected']);
  });

  it('joins again after every reconnect, since the server forgot the old connection', () => {
    const { socket, rooms } = setup();
    const a = recorder();
    rooms.subscribe(ROOM, a.handlers);
    socket.goOnline();
    socket.answer('room:join', { ok: true, data: snapshotOf(ROOM) });
    socket.drop();
    socket.goOnline();
    expect(socket.requests('room:join')).toHaveLength(1);
    socket.answer('room:join', { ok: true, data: snapshotOf(ROOM) });
    expect(a.states).toEqual(['connecting', 'connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('says why a join failed: refused by the server, or not answered in time', () => {
    const { socket, rooms } = setup();
    const a = recorder();
    rooms.subscribe(ROOM, a.handlers);
    socket.goOnline();
    socket.answer('room:join', { ok: false, error: 'You were removed from this room' });
    socket.drop();
    socket.goOnline();
    socket.timeOut('room:join');
    expect(a.log).toEqual(['error:You were removed from this room', 'error:The live connection timed out. Updates may be late.']);
    expect(a.states.at(-1)).toBe('disconnected');
  });

  it("passes on this room's events and leaves out other rooms' where the payload says", () => {
    const { socket, rooms } = setup();
    const a = recorder();
    rooms.subscribe(ROOM, a.handlers);
    socket.goOnline();
    socket.serverSends('chat:message', chatIn(ROOM, 'hi'));
    socket.serverSends('chat:message', chatIn('other', 'not for us'));
    socket.serverSends('media:updated', mediaIn(ROOM));
    socket.serverSends('media:updated', mediaIn('other'));
    socket.serverSends('media:deleted', { mediaId: 'm9' });
    socket.serverSends('sync:state', { mediaId: 'm1', paused: false, position: 3, rate: 1, anchorServerTime: 5, seq: 4, by: null });
    expect(a.log).toEqual(['chat:hi', `media:m-${ROOM}`, 'deleted:m9', 'sync:4']);
  });

  it('removes its listeners when a subscriber leaves; the last one out sends room:leave and closes the connection', () => {
    const { socket, rooms, opened } = setup();
    const leaveA = rooms.subscribe(ROOM, recorder().handlers);
    const leaveB = rooms.subscribe(ROOM, recorder().handlers);
    socket.goOnline();
    const perSubscriber = socket.listenerCount() / 2;
    leaveA();
    expect(socket.listenerCount()).toBe(perSubscriber);
    expect(socket.notices['room:leave']).toEqual([]);
    leaveB();
    expect(socket.notices['room:leave']).toEqual([{ roomId: ROOM }]);
    expect(socket.listenerCount()).toBe(0);
    expect(socket.disconnectCalls).toBe(1);
    rooms.subscribe(ROOM, recorder().handlers);
    expect(opened()).toBe(2);
  });

  it('answers a request with the server reply, a timeout or "not connected", never throwing', async () => {
    const { socket, rooms } = setup();
    rooms.subscribe(ROOM, recorder().handlers);
    await expect(rooms.request('chat:send', { body: 'hi' })).resolves.toEqual({ ok: false, error: NOT_CONNECTED, reason: 'offline' });
    expect(socket.requests('chat:send')).toEqual([]);

    socket.goOnline();
    const sent = rooms.request('chat:send', { body: 'hi' });
    const pinged = rooms.request('time:ping', { t0: 5, rttMs: 40 }, 5_000);
    expect(socket.requests('time:ping')).toEqual([{ payload: { t0: 5, rttMs: 40 }, timeoutMs: 5_000 }]);
    const message = chatIn(ROOM, 'hi');
    socket.answer('chat:send', { ok: true, data: message });
    socket.timeOut('time:ping');
    await expect(sent).resolves.toEqual({ ok: true, data: message });
    await expect(pinged).resolves.toEqual({ ok: false, error: NO_ANSWER, reason: 'timeout' });
  });

  it('sends notices only while connected, so none goes out stale after a reconnect', () => {
    const { socket, rooms } = setup();
    rooms.subscribe(ROOM, recorder().handlers);
    rooms.notify('player:status', { state: 'playing', driftMs: 3, noWait: false });
    socket.goOnline();
    rooms.notify('player:status', { state: 'paused', driftMs: 0, noWait: true });
    expect(socket.notices['player:status']).toEqual([{ state: 'paused', driftMs: 0, noWait: true }]);
  });

  it('reconnects on reset (a new handshake carries the new session cookie)', () => {
    const { socket, rooms } = setup();
    rooms.reset();
    expect(socket.disconnectCalls).toBe(0); // nothing open yet
    rooms.subscribe(ROOM, recorder().handlers);
    socket.goOnline();
    rooms.reset();
    expect(socket.disconnectCalls).toBe(1);
    expect(socket.connectCalls).toBe(2);
  });
});

function chatIn(roomId: string, body: string): ChatMessage {
  return {
    id: `c-${body}`,
    roomId,
    kind: 'user',
    author: { id: 'u1', name: 'Ana' },
    body,
    replyTo: null,
    editedAt: null,
    reactions: {},
    deleted: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function mediaIn(roomId: string): MediaView {
  return {
    id: `m-${roomId}`,
    roomId,
    uploaderId: 'u1',
    originalName: 'clip.mp4',
    sizeBytes: 1_000,
    status: 'ready',
    kind: 'video',
    progress: 100,
    sourceUrl: null,
    importedBytes: null,
    importTotalBytes: null,
    etaSec: null,
    queuePosition: null,
    playable: true,
    error: null,
    durationSec: 30,
    width: 640,
    height: 360,
    renditions: [],
    playbackUrl: `/media/m-${roomId}/master.m3u8`,
    posterUrl: null,
    storyboardUrl: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}
