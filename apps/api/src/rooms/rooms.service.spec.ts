import { describe, expect, it } from 'vitest';
import { ForbiddenException, GoneException, NotFoundException } from '@nestjs/common';
import { ROOM_JOIN_REFUSED, type AuthResponse, type RoomRole } from '@reelroom/contracts';
import type { GuestSessions } from '../auth/guest-sessions.js';
import type { ClientInfo } from '../auth/auth.types.js';
import { MemoryRoomBlocks } from '../testing/memory-room-blocks.js';
import type { PasswordHasher } from '../auth/password.hasher.js';
import { MemoryLimitStore } from '../testing/memory-limit.store.js';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { RecordingBroadcaster } from '../testing/recording.broadcaster.js';
import { RoomAccessPolicy } from './room-access.policy.js';
import { RoomsService, TooManyAttemptsException } from './rooms.service.js';

/** Hashes that are easy to check, with argon2's interface. */
class FakeHasher implements PasswordHasher {
  async hash(p: string) {
    return `h:${p}`;
  }
  async verify(h: string, p: string) {
    return h === `h:${p}`;
  }
  async burn() {}
}

/** Where a request comes from: an address, and a browser when the test says so. */
const at = (address: string, deviceId: string | null = null): ClientInfo => ({ address, deviceId, userAgent: null });

class FakeGuests implements GuestSessions {
  created = 0;
  /** user id -> the clients their sessions were opened from */
  readonly clients = new Map<string, ClientInfo[]>();
  async createGuest(displayName: string, client: ClientInfo): Promise<AuthResponse> {
    this.created++;
    const id = `guest-${this.created}`;
    this.clients.set(id, [client]);
    return { user: { id, email: null, displayName, isGuest: true }, accessToken: 'tok' };
  }
  async clientsOf(userId: string) {
    const mine = this.clients.get(userId) ?? [];
    return { deviceIds: mine.flatMap((c) => (c.deviceId ? [c.deviceId] : [])), addresses: mine.map((c) => c.address) };
  }
}

function setup(opts: { kickDurationMs?: number } = {}) {
  const repo = new MemoryRoomsRepository();
  const guests = new FakeGuests();
  const limits = new MemoryLimitStore();
  const broadcast = new RecordingBroadcaster();
  const access = new RoomAccessPolicy(repo);
  const service = new RoomsService(repo, access, new FakeHasher(), guests, limits, broadcast, new MemoryRoomBlocks(), {
    pinFailsPerIp: 5,
    pinFailsPerRoom: 20,
    pinFailWindowSec: 600,
    kickDurationMs: opts.kickDurationMs ?? 0,
    banAddressMs: 24 * 3600_000,
  });
  /** What the room and its members were told, in the words of the old RoomEvents: updated, closed:<message>, changed:<user>:<role>, removed:<user>. */
  const events = {
    get all(): string[] {
      const told = broadcast.sent.flatMap((s) => {
        if (s.event === 'room:updated') return ['updated'];
        if (s.event === 'room:closed') return [`closed:${(s.payload as { message: string }).message}`];
        if (s.event === 'room:you') return [`changed:${s.userId}:${(s.payload as { role: RoomRole }).role}`];
        return [];
      });
      return [...told, ...broadcast.disconnected.filter((d) => d.userId).map((d) => `removed:${d.userId}`)];
    },
  };
  return {
    service,
    access,
    members: repo.members,
    key: (r: string, u: string) => repo.key(r, u),
    events,
    broadcast,
    counters: limits.failureCounts,
  };
}

describe(RoomsService.name, () => {
  it('stores only a hash of the PIN and reports hasPin', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    expect(room.hasPin).toBe(true);
    expect(JSON.stringify(room)).not.toContain('1234');
  });

  it('lets account holders in with the right PIN and refuses a wrong PIN and an unknown room with the same error', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    await expect(service.join('u1', room.id, '0000', at('1.1.1.1'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', 'x'.repeat(22), '1234', at('1.1.1.1'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', room.id, undefined, at('1.1.1.1'))).rejects.toBeInstanceOf(NotFoundException);
    expect((await service.join('u1', room.id, '1234', at('1.1.1.1'))).myRole).toBe('viewer');
    // Existing members need no PIN.
    expect((await service.join('u1', room.id, undefined, at('1.1.1.1'))).myRole).toBe('viewer');
  });

  it('rate-limits wrong PINs per room and address (429), other addresses still get in', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    for (let i = 0; i < 5; i++) await expect(service.join('u1', room.id, '9999', at('1.1.1.1'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', room.id, '1234', at('1.1.1.1'))).rejects.toBeInstanceOf(TooManyAttemptsException);
    expect((await service.join('u2', room.id, '1234', at('2.2.2.2'))).myRole).toBe('viewer');
  });

  it('rate-limits per room across addresses: repeat failures spend the room budget, a fresh address with the PIN still gets in', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    // 20 addresses fail twice: the first failure of each is per address only, the second spends the room's budget.
    for (let i = 0; i < 20; i++)
      for (let k = 0; k < 2; k++) await expect(service.join('u1', room.id, '9999', at(`10.0.0.${i}`))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', room.id, '1234', at('10.0.0.3'))).rejects.toBeInstanceOf(TooManyAttemptsException);
    await expect(service.join('u1', room.id, '9999', at('10.0.0.77'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', room.id, '1234', at('10.0.0.77'))).rejects.toBeInstanceOf(TooManyAttemptsException);
    expect((await service.join('u2', room.id, '1234', at('10.9.9.9'))).myRole).toBe('viewer');
  });

  it('runs what must happen while the kicked person is still connected (their camera) before disconnecting them, and not for a refused kick', async () => {
    const { service, broadcast } = setup();
    const room = await service.create('host', 'Night');
    await service.join('troll', room.id, undefined, at('6.6.6.6'));
    await service.join('viewer', room.id, undefined, at('7.7.7.7'));
    const ran: string[] = [];
    const whileConnected = () => {
      ran.push(`released; disconnected ${broadcast.disconnected.length}`);
      return Promise.resolve();
    };
    await expect(service.kick('viewer', room.id, 'troll', true, { whileConnected })).rejects.toThrow();
    expect(ran).toEqual([]);
    await service.kick('host', room.id, 'troll', true, { whileConnected });
    expect(ran).toEqual(['released; disconnected 0']);
    expect(broadcast.disconnected).toEqual([{ roomId: room.id, userId: 'troll' }]);
    // The camera store failing does not keep the kicked person connected.
    const failing = () => Promise.reject(new Error('redis down'));
    await expect(service.kick('host', room.id, 'viewer', false, { whileConnected: failing })).rejects.toThrow('redis down');
    expect(broadcast.disconnected).toEqual([
      { roomId: room.id, userId: 'troll' },
      { roomId: room.id, userId: 'viewer' },
    ]);
  });

  it("does not count a banned person's refusals toward the room", async () => {
    const { service, counters } = setup();
    const room = await service.create('host', 'Night', '1234');
    await service.join('troll', room.id, '1234', at('6.6.6.6'));
    await service.kick('host', room.id, 'troll', true);
    for (let i = 0; i < 5; i++) await expect(service.join('troll', room.id, '1234', at('6.6.6.6'))).rejects.toThrow();
    expect(counters.get(`pin:${room.id}`) ?? 0).toBe(0);
  });

  it('holds a ban against a fresh guest from the same browser or address, and a kick for KICK_DURATION_MIN', async () => {
    const { service } = setup({ kickDurationMs: 60_000 });
    const room = await service.create('host', 'Night');
    const troll = await service.joinAsGuest(room.id, 'Troll', undefined, at('6.6.6.6', 'dev-troll'));
    await service.kick('host', room.id, troll.user.id, true);
    await expect(service.joinAsGuest(room.id, 'Nice', undefined, at('7.7.7.7', 'dev-troll'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.joinAsGuest(room.id, 'Nice', undefined, at('6.6.6.6', 'dev-new'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    expect((await service.joinAsGuest(room.id, 'Other', undefined, at('8.8.8.8', 'dev-other'))).room.myRole).toBe('viewer');

    const kicked = await service.joinAsGuest(room.id, 'Kicked', undefined, at('9.9.9.9', 'dev-k'));
    await service.kick('host', room.id, kicked.user.id, false);
    await expect(service.joinAsGuest(room.id, 'Back', undefined, at('9.9.9.9', 'dev-k'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await service.join('acct', room.id, undefined, at('5.5.5.5', 'dev-a'));
    await service.kick('host', room.id, 'acct', false);
    await expect(service.join('acct', room.id, undefined, at('4.4.4.4'))).rejects.toThrow(ROOM_JOIN_REFUSED);
  });

  it('previews an open room to anyone with its id, and refuses closed rooms, bans and blocks like an unknown id', async () => {
    const { service } = setup({ kickDurationMs: 60_000 });
    const room = await service.create('host', 'Night', '1234');
    const knock = (userId: string | null, address = '1.1.1.1', deviceId: string | null = null) => ({ userId, address, deviceId });
    const seen = await service.preview(room.id, knock(null));
    expect(seen.room.name).toBe('Night');
    expect(seen.room.pinHash).not.toBeNull();
    await expect(service.preview('x'.repeat(22), knock(null))).rejects.toThrow(ROOM_JOIN_REFUSED);

    const troll = await service.joinAsGuest(room.id, 'Troll', '1234', at('6.6.6.6', 'dev-troll'));
    await service.kick('host', room.id, troll.user.id, true);
    await expect(service.preview(room.id, knock(troll.user.id, '6.6.6.6'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.preview(room.id, knock(null, '7.7.7.7', 'dev-troll'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.preview(room.id, knock(null, '6.6.6.6'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    expect((await service.preview(room.id, knock(null, '8.8.8.8'))).room.id).toBe(room.id);

    await service.close('host', room.id);
    await expect(service.preview(room.id, knock(null, '8.8.8.8'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.preview(room.id, knock('host'))).rejects.toThrow(ROOM_JOIN_REFUSED);
  });

  it('creates a guest viewer with a session when the PIN is right', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    await expect(service.joinAsGuest(room.id, 'Ana', '1', at('1.1.1.1'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    const g = await service.joinAsGuest(room.id, 'Ana', '1234', at('1.1.1.1'));
    expect(g).toMatchObject({ user: { displayName: 'Ana', isGuest: true }, accessToken: 'tok', room: { myRole: 'viewer' } });
  });

  it('refuses banned members everywhere and kicks through the events', async () => {
    const { service, access, events } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, at('ip'));
    await service.kick('host', room.id, 'v', true);
    expect(events.all).toContain('removed:v');
    await expect(access.require('v', room.id, 'see')).rejects.toBeInstanceOf(ForbiddenException);
    await expect(service.join('v', room.id, undefined, at('ip'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.get('v', room.id)).rejects.toThrow(ROOM_JOIN_REFUSED);
  });

  it('lets moderators kick viewers but not the host or other moderators; only the host sets roles', async () => {
    const { service, access } = setup();
    const room = await service.create('host', 'Night');
    for (const u of ['m1', 'm2', 'v']) await service.join(u, room.id, undefined, at('ip'));
    await expect(service.setRole('m1', room.id, 'm2', 'moderator')).rejects.toThrow('Only the host');
    await service.setRole('host', room.id, 'm1', 'moderator');
    await service.setRole('host', room.id, 'm2', 'moderator');
    await expect(service.kick('m1', room.id, 'm2', false)).rejects.toThrow('Only the host can do that to a moderator.');
    await expect(service.kick('m1', room.id, 'host', false)).rejects.toThrow('host');
    await expect(service.kick('v', room.id, 'm1', false)).rejects.toThrow('Only the host or a moderator');
    await service.kick('m1', room.id, 'v', false);
    await expect(access.require('v', room.id, 'see')).rejects.toBeInstanceOf(ForbiddenException);
    // A kick without a ban: they may come back with the link.
    expect((await service.join('v', room.id, undefined, at('ip'))).myRole).toBe('viewer');
  });

  it('mutes until a time and unmutes with 0 minutes', async () => {
    const { service, members, key } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, at('ip'));
    expect(await service.mute('host', room.id, 'v', 10, 0)).toEqual({ role: 'viewer', mutedUntil: new Date(600_000).toISOString() });
    expect(members.get(key(room.id, 'v'))!.mutedUntil).toEqual(new Date(600_000));
    expect((await service.mute('host', room.id, 'v', 0)).mutedUntil).toBeNull();
  });

  it('closes the room for everyone: joins refused, members still read it with closedAt', async () => {
    const { service, events } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, at('ip'));
    await expect(service.close('v', room.id)).rejects.toThrow('Only the host');
    await service.close('host', room.id);
    expect(events.all).toContain('closed:This room was closed by the host');
    await expect(service.join('stranger', room.id, undefined, at('ip'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.joinAsGuest(room.id, 'G', undefined, at('ip'))).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('v', room.id, undefined, at('ip'))).rejects.toBeInstanceOf(GoneException);
    expect((await service.get('v', room.id)).closedAt).not.toBeNull();
  });

  it('lets only the host change the room and broadcasts the change', async () => {
    const { service, events } = setup();
    const room = await service.create('host', 'Night', '1234');
    await service.join('v', room.id, '1234', at('ip'));
    await expect(service.update('v', room.id, { name: 'x' })).rejects.toBeInstanceOf(ForbiddenException);
    const updated = await service.update('host', room.id, { pin: null, controlLocked: true });
    expect(updated).toMatchObject({ hasPin: false, options: { controlLocked: true } });
    expect(events.all).toContain('updated');
  });

  it('tells a kicked member why before disconnecting them, and the room it closed before disconnecting it', async () => {
    const { service, broadcast } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, at('ip'));
    await service.kick('host', room.id, 'v', false);
    await service.close('host', room.id);
    expect(broadcast.timeline).toEqual(['room:kicked', 'disconnect', 'room:closed', 'disconnect']);
    expect(broadcast.sent[0]).toMatchObject({ roomId: room.id, userId: 'v', payload: { message: 'You were removed from this room.' } });
    expect(broadcast.disconnected).toEqual([{ roomId: room.id, userId: 'v' }, { roomId: room.id }]);
  });

  it('lets the host run a closed room (settings, closing again) while it refuses joins (410)', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night');
    await service.close('host', room.id);
    expect((await service.close('host', room.id)).closedAt).not.toBeNull();
    expect((await service.update('host', room.id, { name: 'Over' })).name).toBe('Over');
    await expect(service.join('host', room.id, undefined, at('ip'))).rejects.toBeInstanceOf(GoneException);
  });
});
