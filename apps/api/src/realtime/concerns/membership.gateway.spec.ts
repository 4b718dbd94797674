import { describe, expect, it } from 'vitest';
import { ROOM_JOIN_REFUSED, type LiveStateView, type RoomSnapshot } from '@reelroom/contracts';
import { ChatService } from '../../chat/chat.service.js';
import { LiveStates } from '../../live/live-states.js';
import { PlaybackService } from '../../playback/playback.service.js';
import type { PlaybackRepository } from '../../playback/playback.repository.js';
import { PresenceService } from '../../playback/presence.service.js';
import { RoomAccessPolicy, ROOM_CLOSED } from '../../rooms/room-access.policy.js';
import { authAs, FakeSocket } from '../../testing/fake-socket.js';
import { MemoryChatRepository } from '../../testing/memory-chat.repository.js';
import { MemoryPlaybackStore, MemoryWaitStore } from '../../testing/memory-playback.stores.js';
import { MemoryPresenceStore } from '../../testing/memory-presence.store.js';
import { MemoryRoomsRepository } from '../../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../../testing/recording.broadcaster.js';
import { silentLogger } from '../../testing/silent-logger.js';
import { CameraService } from '../../cameras/camera.service.js';
import { MemoryCameraStore } from '../../testing/memory-camera.store.js';
import { SocketEvents } from '../socket-events.js';
import { ANNOUNCE_MAX_MEMBERS, MembershipGateway } from './membership.gateway.js';

const R = 'A'.repeat(22);
const R2 = 'B'.repeat(22);
const CLOSED = 'C'.repeat(22);

type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

/** A room that is live right now, whatever the room id. */
class OnAirLives implements LiveStates {
  /** How often a snapshot read the live state. */
  views = 0;

  async view(): Promise<LiveStateView> {
    this.views += 1;
    return {
      status: 'live',
      liveId: '4f0c5a3e-6a5b-4b8e-9d43-2f6f3c1e0a11',
      mode: 'standard',
      playbackUrl: '/media/x/master.m3u8',
      startedAt: '2026-01-01T00:00:00.000Z',
      latencyHintSec: 3,
      replayMediaId: null,
      endReason: null,
    };
  }
}

function setup() {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: R, name: 'Movie night' });
  rooms.seed({ id: R2, name: 'Second' });
  rooms.seed({ id: CLOSED, closedAt: new Date(0) });
  for (const id of [R, R2, CLOSED]) rooms.seedMember(id, 'ana');
  rooms.seedMember(R, 'troll', { bannedAt: new Date(0) });
  const access = new RoomAccessPolicy(rooms);
  const broadcast = new RecordingBroadcaster();
  const presenceStore = new MemoryPresenceStore();
  const presence = new PresenceService(presenceStore, broadcast);
  const chatRepo = new MemoryChatRepository();
  const chat = new ChatService(chatRepo, access, broadcast);
  const noMedia = { room: async () => null, media: async () => null, live: async () => null } satisfies PlaybackRepository;
  const playback = new PlaybackService(
    new MemoryPlaybackStore(),
    new MemoryWaitStore(),
    noMedia,
    access,
    presence,
    broadcast,
    silentLogger,
    chat,
  );
  const cameras = new CameraService(new MemoryCameraStore(), access, broadcast, { cameras: { limit: 6, iceServers: [] } });
  const lives = new OnAirLives();
  const gateway = new MembershipGateway(access, presence, playback, chat, lives, cameras, new SocketEvents(silentLogger), silentLogger);
  const connect = (userId: string, data: { roomId?: string; recovered?: boolean } = {}) => {
    const socket = new FakeSocket(authAs(userId), { roomId: data.roomId });
    socket.recovered = !!data.recovered;
    gateway.bind(socket);
    return socket;
  };
  const lines = () => [...chatRepo.rows.values()].filter((r) => r.kind === 'system').map((r) => r.body);
  return { gateway, connect, presence, presenceStore, rooms, lines, cameras, broadcast, lives };
}

describe(MembershipGateway.name, () => {
  it('joins a member: channels, presence, a "joined" line, and the full snapshot in the ack', async () => {
    const t = setup();
    const s = t.connect('ana');
    const r = await s.send<Reply<RoomSnapshot>>('room:join', { roomId: R });
    if (!r.ok) throw new Error(r.error);
    expect(r.data).toMatchObject({
      room: { id: R, name: 'Movie night', myRole: 'viewer' },
      me: { userId: 'ana', name: 'ANA', role: 'viewer' },
      members: [{ userId: 'ana', name: 'ANA', role: 'viewer', connections: 1 }],
      presenceVersion: 1,
      playback: { mediaId: null, paused: true, seq: 0 },
      chat: [{ kind: 'system', body: 'ANA joined' }],
      live: { status: 'live', playbackUrl: '/media/x/master.m3u8' },
      cameras: { peers: [], limit: 6 },
    });
    expect(r.data.serverTime).toBeGreaterThan(0);
    expect([...s.channels].sort()).toEqual([`room:${R}`, `room:${R}:user:ana`, 'user:ana']);
    expect(s.data.roomId).toBe(R);
  });

  it('refuses with the policy: unknown and banned alike, strangers told to join, closed rooms gone', async () => {
    const t = setup();
    const cases: Array<[string, string, string]> = [
      ['ana', 'Z'.repeat(22), ROOM_JOIN_REFUSED],
      ['troll', R, ROOM_JOIN_REFUSED],
      ['stranger', R, ROOM_JOIN_REFUSED],
      ['ana', CLOSED, ROOM_CLOSED],
    ];
    for (const [user, roomId, error] of cases) {
      const s = t.connect(user);
      expect(await s.send('room:join', { roomId }), `${user} in ${roomId}`).toEqual({ ok: false, error });
      expect(s.channels.size).toBe(0);
      expect(s.data.roomId).toBeUndefined();
    }
    expect(await t.connect('ana').send('room:join', { roomId: 'not a room id' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Invalid room:join payload/) as string,
    });
    expect(await t.presence.members(R)).toEqual([]);
  });

  it('counts a person once across tabs: one "joined", and "left" only when the last socket goes', async () => {
    const t = setup();
    const [a, b] = [t.connect('ana'), t.connect('ana')];
    await a.send('room:join', { roomId: R });
    await b.send('room:join', { roomId: R });
    await b.send('room:join', { roomId: R }); // joining again on the same socket counts nothing
    expect((await t.presence.members(R)).map((m) => [m.userId, m.connections])).toEqual([['ana', 2]]);
    a.disconnect();
    await expect.poll(async () => (await t.presence.members(R))[0]?.connections).toBe(1);
    expect(t.lines()).toEqual(['ANA joined']);
    b.disconnect();
    await expect.poll(() => t.lines()).toEqual(['ANA joined', 'ANA left']);
    expect(await t.presence.members(R)).toEqual([]);
  });

  it('leaves on room:leave, and leaves the old room when joining another', async () => {
    const t = setup();
    const s = t.connect('ana');
    await s.send('room:join', { roomId: R });
    await s.send('room:join', { roomId: R2 });
    expect([...s.channels].sort()).toEqual([`room:${R2}`, `room:${R2}:user:ana`, 'user:ana']);
    expect(await t.presence.members(R)).toEqual([]);
    expect(await s.send('room:leave', { roomId: R2 })).toEqual({ ok: true });
    expect(s.data.roomId).toBeUndefined();
    expect(s.channels.has(`room:${R2}`)).toBe(false);
    expect(await t.presence.members(R2)).toEqual([]);
  });

  it("frees the socket's camera slot when it leaves the room, switches rooms or disconnects, and tells the room", async () => {
    const t = setup();
    const ana = { id: 'ana', email: null, displayName: 'ANA', isGuest: false };
    const sockets = [t.connect('ana'), t.connect('ana'), t.connect('ana')];
    for (const s of sockets) {
      await s.send('room:join', { roomId: R });
      await t.cameras.join(R, s.id, ana, { audio: true, video: true });
    }
    const snap = await sockets[0].send<Reply<RoomSnapshot>>('room:join', { roomId: R });
    expect(snap.ok && snap.data.cameras.peers.map((p) => p.peerId)).toEqual(sockets.map((s) => s.id));
    await sockets[0].send('room:leave', { roomId: R });
    await sockets[1].send('room:join', { roomId: R2 });
    sockets[2].disconnect();
    await expect.poll(() => t.broadcast.payloads('camera:left')).toHaveLength(3);
    expect(t.broadcast.payloads('camera:left')).toEqual(sockets.map((s) => ({ peerId: s.id, reason: 'left' })));
    expect((await t.cameras.roster(R)).peers).toEqual([]);
  });

  it('lets concurrent joiners of a room share the next snapshot read, each snapshot holding its own arrival', async () => {
    const t = setup();
    const people = ['ana', 'bo', 'cy', 'di'];
    for (const u of people.slice(1)) t.rooms.seedMember(R, u);
    const replies = await Promise.all(people.map((u) => t.connect(u).send<Reply<RoomSnapshot>>('room:join', { roomId: R })));
    expect(t.lives.views).toBeLessThanOrEqual(2);
    for (const [i, r] of replies.entries()) {
      if (!r.ok) throw new Error(r.error);
      expect(r.data.members.map((m) => m.userId)).toContain(people[i]);
      expect(r.data.me.userId).toBe(people[i]);
    }
  });

  it('keeps quiet about joins and leaves in a room of more than 50 people', async () => {
    const t = setup();
    for (let i = 0; i <= ANNOUNCE_MAX_MEMBERS; i++) {
      const create = { name: `U${i}`, role: 'viewer' as const, isGuest: true, player: null, mutedUntil: null, rttMs: null };
      await t.presenceStore.change(R, `u${i}`, { patch: {}, create, connDelta: 1, visible: true });
    }
    const s = t.connect('ana');
    await s.send('room:join', { roomId: R });
    s.disconnect();
    await expect.poll(async () => (await t.presence.members(R)).length).toBe(ANNOUNCE_MAX_MEMBERS + 1);
    await new Promise((r) => setImmediate(r)); // the in-memory stores settle within one turn
    expect(t.lines()).toEqual([]);
  });

  it('re-checks a recovered socket: a member is counted again, one banned during the drop is disconnected', async () => {
    const t = setup();
    const back = t.connect('ana', { roomId: R, recovered: true });
    await expect.poll(async () => (await t.presence.members(R)).map((m) => m.userId)).toEqual(['ana']);
    expect(back.disconnected).toBe(false);
    t.rooms.members.get(t.rooms.key(R, 'ana'))!.bannedAt = new Date();
    const banned = t.connect('ana', { roomId: R, recovered: true });
    await expect.poll(() => banned.disconnected).toBe(true);
  });
});
