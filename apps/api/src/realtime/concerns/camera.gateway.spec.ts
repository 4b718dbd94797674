import { describe, expect, it } from 'vitest';
import { CAMERA_FIRST, CAMERA_PEER_GONE, CAMERAS_DISABLED, cameraRoomFull, type CameraJoinReply } from '@reelroom/contracts';
import { CameraService } from '../../cameras/camera.service.js';
import { JOIN_FIRST, RoomAccessPolicy, ROOM_CLOSED } from '../../rooms/room-access.policy.js';
import { authAs, FakeSocket } from '../../testing/fake-socket.js';
import { MemoryCameraStore } from '../../testing/memory-camera.store.js';
import { MemoryRoomsRepository } from '../../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../../testing/recording.broadcaster.js';
import { silentLogger } from '../../testing/silent-logger.js';
import { SocketEvents } from '../socket-events.js';
import { CameraGateway } from './camera.gateway.js';

const R = 'A'.repeat(22);
const R2 = 'B'.repeat(22);
const CLOSED = 'C'.repeat(22);
type Reply<T> = { ok: true; data: T } | { ok: false; error: string };
const OFFER = { type: 'offer', sdp: 'v=0\r\n' };

function setup(limit = 6) {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: R });
  rooms.seed({ id: R2 });
  rooms.seed({ id: CLOSED, closedAt: new Date(0) });
  for (const u of ['ana', 'bob', 'cy']) rooms.seedMember(R, u);
  rooms.seedMember(R2, 'dee');
  rooms.seedMember(CLOSED, 'ana');
  const broadcast = new RecordingBroadcaster();
  const iceServers = [{ urls: 'stun:stun.example.org:3478' }];
  const cameras = new CameraService(new MemoryCameraStore(), new RoomAccessPolicy(rooms), broadcast, { cameras: { limit, iceServers } });
  const gateway = new CameraGateway(cameras, new SocketEvents(silentLogger));
  const connect = (userId: string, roomId?: string) => {
    const s = new FakeSocket(authAs(userId), { roomId });
    gateway.bind(s);
    return s;
  };
  return { connect, broadcast, cameras, iceServers };
}

describe(CameraGateway.name, () => {
  it('joins the call: the ack has the others and the ICE servers, the room hears camera:joined', async () => {
    const t = setup();
    const ana = t.connect('ana', R);
    const bob = t.connect('bob', R);
    expect(await ana.send('camera:join', { audio: true, video: true })).toMatchObject({ ok: true, data: { peerId: ana.id, peers: [] } });
    const r = await bob.send<Reply<CameraJoinReply>>('camera:join', { audio: true, video: false });
    expect(r).toEqual({
      ok: true,
      data: {
        peerId: bob.id,
        peers: [{ peerId: ana.id, userId: 'ana', name: 'ANA', audio: true, video: true }],
        iceServers: t.iceServers,
        limit: 6,
      },
    });
    expect(t.broadcast.payloads('camera:joined').map((p) => p.peerId)).toEqual([ana.id, bob.id]);
    expect(await bob.send('camera:update', { audio: false, video: false })).toMatchObject({ ok: true, data: { audio: false } });
    expect(t.broadcast.payloads('camera:updated')).toEqual([{ peerId: bob.id, userId: 'bob', name: 'BOB', audio: false, video: false }]);
    expect(await bob.send('camera:leave', {})).toEqual({ ok: true, data: null });
    expect(t.broadcast.payloads('camera:left')).toEqual([{ peerId: bob.id, reason: 'left' }]);
  });

  it('says the room is full at the limit, and refuses outside a room, in a closed room, and when cameras are off', async () => {
    const t = setup(2);
    for (const u of ['ana', 'bob'])
      expect(await t.connect(u, R).send('camera:join', { audio: true, video: true })).toMatchObject({ ok: true });
    expect(await t.connect('cy', R).send('camera:join', { audio: true, video: true })).toEqual({ ok: false, error: cameraRoomFull(2) });
    expect(cameraRoomFull(6)).toBe('The room has 6 cameras on; try again when someone turns theirs off.');
    expect(await t.connect('cy').send('camera:join', { audio: true, video: true })).toEqual({ ok: false, error: 'Join a room first.' });
    expect(await t.connect('dee', R).send('camera:join', { audio: true, video: true })).toEqual({ ok: false, error: JOIN_FIRST });
    expect(await t.connect('ana', CLOSED).send('camera:join', { audio: true, video: true })).toEqual({ ok: false, error: ROOM_CLOSED });
    expect(await t.connect('ana', R).send('camera:join', { audio: 'yes' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Invalid camera:join payload/) as string,
    });
    expect(await setup(0).connect('ana', R).send('camera:join', { audio: true, video: true })).toEqual({
      ok: false,
      error: CAMERAS_DISABLED,
    });
  });

  it('relays a signal only between two participants of the same call, stamped with the real sender', async () => {
    const t = setup();
    const ana = t.connect('ana', R);
    const bob = t.connect('bob', R);
    const cy = t.connect('cy', R);
    const dee = t.connect('dee', R2);
    for (const s of [ana, bob]) await s.send('camera:join', { audio: true, video: true });
    await dee.send('camera:join', { audio: true, video: true });

    expect(await ana.send('camera:signal', { to: bob.id, description: OFFER, from: 'forged' })).toEqual({ ok: true, data: null });
    expect(ana.toOthers).toEqual([{ channel: bob.id, event: 'camera:signal', payload: { from: ana.id, description: OFFER } }]);

    // Not in the call, another room's participant, oneself, and a bad payload: refused, nothing sent.
    expect(await cy.send('camera:signal', { to: bob.id, description: OFFER })).toEqual({ ok: false, error: CAMERA_FIRST });
    expect(await ana.send('camera:signal', { to: dee.id, description: OFFER })).toEqual({ ok: false, error: CAMERA_PEER_GONE });
    expect(await dee.send('camera:signal', { to: ana.id, description: OFFER })).toEqual({ ok: false, error: CAMERA_PEER_GONE });
    expect(await ana.send('camera:signal', { to: ana.id, description: OFFER })).toEqual({ ok: false, error: CAMERA_PEER_GONE });
    expect(await ana.send('camera:signal', { to: bob.id })).toMatchObject({ ok: false });
    expect(await t.connect('ana').send('camera:signal', { to: bob.id, description: OFFER })).toEqual({
      ok: false,
      error: 'Join a room first.',
    });
    await bob.send('camera:leave', {});
    expect(
      await ana.send('camera:signal', { to: bob.id, candidates: [{ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' }] }),
    ).toEqual({
      ok: false,
      error: CAMERA_PEER_GONE,
    });
    expect([cy, dee].flatMap((s) => s.toOthers)).toEqual([]);
    expect(ana.toOthers).toHaveLength(1);
  });
});
