import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMERA_FIRST,
  CAMERA_PEER_GONE,
  cameraRoomFull,
  type AuthResponse,
  type CameraJoinReply,
  type CameraSignalIn,
  type RoomSnapshot,
  type RoomView,
} from '@reelroom/contracts';
import { ApiClient } from '../support/api-client.js';
import { ask, connectSocket, disconnected, nextEvent, okData, onEvent, type WireSocket } from '../support/socket.js';
import { startStack, type Stack } from '../support/stack.js';
import { eventually } from '../support/wait.js';

/**
 * Cameras beside the player (issue 13), at the socket level against the real API and Redis: the call's
 * slots (CAMERA_LIMIT) hold under parallel joins on two API processes, signals reach only a participant
 * of the same room's call, and a slot comes free when its socket disconnects or its person is kicked.
 */
let stack: Stack;
let second: { baseUrl: string };
let owner: ApiClient;
const sockets: WireSocket[] = [];
const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
const ON = { audio: true, video: true };

async function connect(token: string, baseUrl = stack.baseUrl): Promise<WireSocket> {
  const s = await connectSocket(baseUrl, token);
  sockets.push(s);
  return s;
}
const join = async (s: WireSocket, roomId: string) => okData(await ask<RoomSnapshot>(s, 'room:join', { roomId }));

/** A guest of the room with a socket joined to it, on the given API process. */
async function guestIn(roomId: string, name: string, baseUrl = stack.baseUrl) {
  const auth = await new ApiClient(baseUrl).json<AuthResponse>('POST', `/api/rooms/${roomId}/guest`, { displayName: name }, 201);
  const socket = await connect(auth.accessToken, baseUrl);
  await join(socket, roomId);
  return { socket, userId: auth.user.id };
}

/** Every camera:signal a socket receives, in order. */
function inbox(s: WireSocket): CameraSignalIn[] {
  const got: CameraSignalIn[] = [];
  onEvent(s, 'camera:signal', (m) => got.push(m));
  return got;
}

beforeAll(async () => {
  stack = await startStack({ web: false, transcoders: 0, env: { CAMERA_LIMIT: '6' } });
  second = await stack.startSecondApi();
  owner = new ApiClient(stack.baseUrl);
  await owner.register(undefined, 'Host');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stack?.stop();
});

describe('cameras: signalling over the room socket', () => {
  it('relays between participants of one call across API processes; strangers and other rooms cannot signal', async () => {
    const room = await owner.createRoom('Faces');
    const other = await owner.createRoom('Elsewhere');
    const ana = await guestIn(room.id, 'Ana');
    const bob = await guestIn(room.id, 'Bob', second.baseUrl);
    const dee = await guestIn(other.id, 'Dee', second.baseUrl);
    const bobInbox = inbox(bob.socket);

    const a = okData(await ask<CameraJoinReply>(ana.socket, 'camera:join', ON));
    const joinedSeen = nextEvent(ana.socket, 'camera:joined', (p) => p.name === 'Bob');
    const b = okData(await ask<CameraJoinReply>(bob.socket, 'camera:join', { audio: true, video: false }));
    expect(b.peers).toEqual([{ peerId: a.peerId, userId: ana.userId, name: 'Ana', audio: true, video: true }]);
    expect(b.iceServers).toEqual([]);
    expect(await joinedSeen).toMatchObject({ peerId: b.peerId, video: false });

    // A stranger: the room refuses the join, and with no room nothing can be signalled.
    const mallory = new ApiClient(stack.baseUrl);
    await mallory.register(undefined, 'Mallory');
    const m = await connect(mallory.token!);
    expect(await ask(m, 'room:join', { roomId: room.id })).toMatchObject({ ok: false });
    expect(await ask(m, 'camera:join', ON)).toEqual({ ok: false, error: 'Join a room first.' });
    expect(await ask(m, 'camera:signal', { to: b.peerId, description: OFFER })).toEqual({ ok: false, error: 'Join a room first.' });
    // A member of the room who is not in the call, and a participant of another room's call.
    const cy = await guestIn(room.id, 'Cy');
    expect(await ask(cy.socket, 'camera:signal', { to: b.peerId, description: OFFER })).toEqual({ ok: false, error: CAMERA_FIRST });
    okData(await ask(dee.socket, 'camera:join', ON));
    expect(await ask(dee.socket, 'camera:signal', { to: b.peerId, description: OFFER })).toEqual({ ok: false, error: CAMERA_PEER_GONE });
    // An oversized description is refused by the schema.
    expect(await ask(ana.socket, 'camera:signal', { to: b.peerId, description: { type: 'offer', sdp: 'x'.repeat(14_001) } })).toMatchObject(
      {
        ok: false,
      },
    );

    // The one legitimate signal arrives, stamped with the sender's real id (a forged `from` is dropped).
    expect(await ask(ana.socket, 'camera:signal', { to: b.peerId, description: OFFER, from: dee.socket.id })).toEqual({
      ok: true,
      data: null,
    });
    await eventually(() => bobInbox.length).toBe(1);
    expect(bobInbox).toEqual([{ from: a.peerId, description: OFFER }]);
    // Bob answers across processes with batched candidates.
    const anaInbox = inbox(ana.socket);
    const candidates = [{ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }];
    okData(await ask(bob.socket, 'camera:signal', { to: a.peerId, description: { type: 'answer', sdp: 'v=0\r\n' }, candidates }));
    await eventually(() => anaInbox).toEqual([{ from: b.peerId, description: { type: 'answer', sdp: 'v=0\r\n' }, candidates }]);
    expect(bobInbox).toHaveLength(1);
  });

  it('holds CAMERA_LIMIT under 10 parallel joins on two API processes: exactly 6 in, the others told why', async () => {
    const room = await owner.createRoom('Crowd');
    // One by one: parallel joins from one address would meet the room's join-attempt limit, not what this tests.
    const people: Array<Awaited<ReturnType<typeof guestIn>>> = [];
    for (let i = 0; i < 10; i++) people.push(await guestIn(room.id, `G${i}`, i % 2 ? second.baseUrl : stack.baseUrl));
    const replies = await Promise.all(people.map((p) => ask<CameraJoinReply>(p.socket, 'camera:join', ON)));
    const accepted = replies.filter((r) => r.ok);
    expect(accepted).toHaveLength(6);
    expect(replies.filter((r) => !r.ok)).toEqual(Array(4).fill({ ok: false, error: cameraRoomFull(6) }));
    expect(cameraRoomFull(6)).toBe('The room has 6 cameras on; try again when someone turns theirs off.');
    const late = await guestIn(room.id, 'Late');
    const snap = await join(late.socket, room.id);
    expect(snap.cameras.limit).toBe(6);
    expect(snap.cameras.peers).toHaveLength(6);

    // A participant disconnects: everyone hears camera:left and a refused person now gets in.
    const leaver = people[replies.findIndex((r) => r.ok)];
    const refused = people[replies.findIndex((r) => !r.ok)];
    const leaverId = leaver.socket.id!; // socket.io-client forgets its id on disconnect
    const left = nextEvent(late.socket, 'camera:left', (p) => p.peerId === leaverId);
    leaver.socket.disconnect();
    expect(await left).toEqual({ peerId: leaverId, reason: 'left' });
    expect(await ask(refused.socket, 'camera:join', ON)).toMatchObject({ ok: true });
    expect(await ask(late.socket, 'camera:join', ON)).toEqual({ ok: false, error: cameraRoomFull(6) });
  });

  it('frees a kicked or banned participant at once: the room hears camera:left, their slot is free again', async () => {
    const room = await owner.json<RoomView>('POST', '/api/rooms', { name: 'Strict' }, 201);
    const host = await connect(owner.token!);
    await join(host, room.id);
    const ana = await guestIn(room.id, 'Ana');
    const troll = await guestIn(room.id, 'Troll', second.baseUrl);
    const a = okData(await ask<CameraJoinReply>(ana.socket, 'camera:join', ON));
    const t = okData(await ask<CameraJoinReply>(troll.socket, 'camera:join', ON));
    const gone = nextEvent(ana.socket, 'camera:left', (p) => p.peerId === t.peerId);
    okData(await ask(host, 'mod:kick', { userId: troll.userId, ban: true }));
    expect(await gone).toEqual({ peerId: t.peerId, reason: 'removed' });
    await disconnected(troll.socket);
    // Nothing reaches the banned socket's id any more, and the call lists Ana alone.
    expect(await ask(ana.socket, 'camera:signal', { to: t.peerId, description: OFFER })).toEqual({ ok: false, error: CAMERA_PEER_GONE });
    const snap = await join(host, room.id);
    expect(snap.cameras.peers.map((p) => p.peerId)).toEqual([a.peerId]);
  });
});
