import { describe, expect, it } from 'vitest';
import type { AuthResponse, Member } from '@reelroom/contracts';
import type { GuestSessions } from '../../auth/guest-sessions.js';
import type { PasswordHasher } from '../../auth/password.hasher.js';
import { PresenceService } from '../../playback/presence.service.js';
import { RoomAccessPolicy } from '../../rooms/room-access.policy.js';
import { RoomsService } from '../../rooms/rooms.service.js';
import { authAs, FakeSocket } from '../../testing/fake-socket.js';
import { MemoryRoomBlocks } from '../../testing/memory-room-blocks.js';
import { MemoryLimitStore } from '../../testing/memory-limit.store.js';
import { MemoryPresenceStore } from '../../testing/memory-presence.store.js';
import { MemoryRoomsRepository } from '../../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../../testing/recording.broadcaster.js';
import { silentLogger } from '../../testing/silent-logger.js';
import { CameraService } from '../../cameras/camera.service.js';
import { MemoryCameraStore } from '../../testing/memory-camera.store.js';
import { SocketEvents } from '../socket-events.js';
import { ModerationGateway } from './moderation.gateway.js';

const R = 'A'.repeat(22);
// Socket events carry user ids as UUIDs.
const HOST = '00000000-0000-4000-8000-000000000001';
const MOD = '00000000-0000-4000-8000-000000000002';
const ANA = '00000000-0000-4000-8000-000000000003';
const BOB = '00000000-0000-4000-8000-000000000004';
type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

/** Moderation needs no PINs or guests: both refuse to be used. */
class Unused implements PasswordHasher, GuestSessions {
  hash(): Promise<string> {
    throw new Error('not in moderation');
  }
  verify(): Promise<boolean> {
    throw new Error('not in moderation');
  }
  burn(): Promise<void> {
    throw new Error('not in moderation');
  }
  createGuest(): Promise<AuthResponse> {
    throw new Error('not in moderation');
  }
  async clientsOf(): Promise<{ deviceIds: string[]; addresses: string[] }> {
    return { deviceIds: [], addresses: [] };
  }
}

async function setup() {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: R }, HOST);
  rooms.seedMember(R, MOD, { role: 'moderator' });
  for (const u of [ANA, BOB]) rooms.seedMember(R, u);
  const broadcast = new RecordingBroadcaster();
  const presence = new PresenceService(new MemoryPresenceStore(), broadcast);
  const service = new RoomsService(
    rooms,
    new RoomAccessPolicy(rooms),
    new Unused(),
    new Unused(),
    new MemoryLimitStore(),
    broadcast,
    new MemoryRoomBlocks(),
    {
      pinFailsPerIp: 5,
      pinFailsPerRoom: 20,
      pinFailWindowSec: 600,
      kickDurationMs: 0,
      banAddressMs: 0,
    },
  );
  const cameras = new CameraService(new MemoryCameraStore(), new RoomAccessPolicy(rooms), broadcast, {
    cameras: { limit: 6, iceServers: [] },
  });
  const lines: string[] = [];
  const chat = {
    postSystem: async (roomId: string, body: string) => {
      lines.push(body);
      return roomId;
    },
  };
  const gateway = new ModerationGateway(service, presence, cameras, new SocketEvents(silentLogger), chat);
  const sockets = new Map<string, FakeSocket>();
  for (const [userId, name, role] of [
    [HOST, 'Host', 'host'],
    [MOD, 'Mo', 'moderator'],
    [ANA, 'Ana', 'viewer'],
    [BOB, 'Bob', 'viewer'],
  ] as const) {
    const socket = new FakeSocket(authAs(userId, name), { roomId: R });
    gateway.bind(socket);
    await presence.connect(socket.id, R, { userId, name, role, isGuest: false });
    sockets.set(userId, socket);
  }
  return { socket: (u: string) => sockets.get(u)!, broadcast, rooms, presence, cameras, lines };
}

describe(ModerationGateway.name, () => {
  it('promotes a viewer (host only): tells them (room:you), updates presence, acks the member list', async () => {
    const t = await setup();
    expect(await t.socket(MOD).send('mod:role', { userId: ANA, role: 'moderator' })).toEqual({
      ok: false,
      error: 'Only the host can do that.',
    });
    const r = await t.socket(HOST).send<Reply<Member[]>>('mod:role', { userId: ANA, role: 'moderator' });
    if (!r.ok) throw new Error(r.error);
    expect(r.data.find((m) => m.userId === ANA)?.role).toBe('moderator');
    expect(t.broadcast.sent.filter((s) => s.event === 'room:you')).toEqual([
      { roomId: R, userId: ANA, event: 'room:you', payload: { role: 'moderator', mutedUntil: null }, scope: 'cluster' },
    ]);
    expect(await t.socket(HOST).send('mod:role', { userId: '00000000-0000-4000-8000-0000000000ff', role: 'moderator' })).toEqual({
      ok: false,
      error: 'This person is not in the room.',
    });
    await t.socket(HOST).send('mod:role', { userId: ANA, role: 'viewer' });
    // The room reads what happened; refusals say nothing.
    expect(t.lines).toEqual(['Host made Ana a moderator', 'Host removed Ana as moderator']);
  });

  it('kicks and bans through the rules: the target is told, then disconnected; viewers cannot', async () => {
    const t = await setup();
    expect(await t.socket(ANA).send('mod:kick', { userId: BOB, ban: true })).toEqual({
      ok: false,
      error: 'Only the host or a moderator can do that.',
    });
    expect(await t.socket(ANA).send('mod:kick', { userId: 'not-a-uuid' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Invalid mod:kick payload/) as string,
    });
    const r = await t.socket(MOD).send<Reply<Member[]>>('mod:kick', { userId: BOB, ban: true });
    expect(r.ok && r.data.length).toBe(4); // presence changes when Bob's sockets disconnect
    expect(t.broadcast.timeline).toEqual(['room:kicked', 'disconnect']);
    expect(t.broadcast.sent[0]).toMatchObject({ userId: BOB, payload: { message: 'You were banned from this room.' } });
    expect(t.broadcast.disconnected).toEqual([{ roomId: R, userId: BOB }]);
    expect(t.rooms.members.get(t.rooms.key(R, BOB))?.bannedAt).toBeInstanceOf(Date);
    await t.socket(HOST).send('mod:kick', { userId: ANA, ban: false });
    expect(t.lines).toEqual(['Mo banned Bob', 'Host removed Ana from the room']);
  });

  it("takes a kicked person's cameras off at once: every tab's slot freed, the room told to drop them", async () => {
    const t = await setup();
    const bobTab = t.socket(BOB).id;
    await t.cameras.join(R, bobTab, { id: BOB, email: null, displayName: 'Bob', isGuest: false }, { audio: true, video: true });
    await t.cameras.join(R, 'bob-second-tab', { id: BOB, email: null, displayName: 'Bob', isGuest: false }, { audio: true, video: false });
    await t.cameras.join(R, t.socket(ANA).id, { id: ANA, email: null, displayName: 'Ana', isGuest: false }, { audio: true, video: true });
    t.broadcast.timeline.length = 0;
    expect(await t.socket(MOD).send('mod:kick', { userId: BOB })).toMatchObject({ ok: true });
    // Released before their sockets go: a disconnect first released the slot as "left" (integration, CI).
    expect(t.broadcast.timeline).toEqual(['camera:left', 'camera:left', 'room:kicked', 'disconnect']);
    expect(t.broadcast.payloads('camera:left')).toEqual([
      { peerId: bobTab, reason: 'removed' },
      { peerId: 'bob-second-tab', reason: 'removed' },
    ]);
    expect((await t.cameras.roster(R)).peers.map((p) => p.name)).toEqual(['Ana']);
  });

  it('mutes and unmutes, keeping presence in step; nobody acts on the host', async () => {
    const t = await setup();
    const muted = await t.socket(MOD).send<Reply<Member[]>>('mod:mute', { userId: ANA, minutes: 5 });
    if (!muted.ok) throw new Error(muted.error);
    const until = muted.data.find((m) => m.userId === ANA)?.mutedUntil;
    expect(new Date(until!).getTime()).toBeGreaterThan(Date.now());
    expect(t.broadcast.payloads('room:you')).toEqual([{ role: 'viewer', mutedUntil: until }]);
    expect(await t.socket(MOD).send('mod:mute', { userId: ANA, minutes: 0 })).toMatchObject({ ok: true });
    expect((await t.presence.members(R)).find((m) => m.userId === ANA)?.mutedUntil).toBeNull();
    expect(await t.socket(MOD).send('mod:mute', { userId: HOST, minutes: 5 })).toEqual({
      ok: false,
      error: 'Nobody can do that to the host.',
    });
    expect(await t.socket(MOD).send('mod:kick', { userId: HOST })).toEqual({ ok: false, error: 'Nobody can do that to the host.' });
    expect(t.lines).toEqual(['Mo muted Ana for 5 min', 'Mo unmuted Ana']);
  });
});
