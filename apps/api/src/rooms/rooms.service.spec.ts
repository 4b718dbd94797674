import { describe, expect, it } from 'vitest';
import { ForbiddenException, GoneException, NotFoundException } from '@nestjs/common';
import { ROOM_JOIN_REFUSED, type RoomRole } from '@reelroom/contracts';
import { RoomsService, TooManyAttemptsException } from './rooms.service.js';
import type { MembershipRecord, RoomRecord } from './rooms.repository.js';

function setup() {
  const rooms = new Map<string, RoomRecord>();
  const members = new Map<string, MembershipRecord>();
  const key = (r: string, u: string) => `${r}/${u}`;
  const repo = {
    async createWithHost(id: string, name: string, ownerId: string, pinHash: string | null) {
      const r: RoomRecord = { id, name, ownerId, pinHash, createdAt: new Date(0), controlLocked: false, waitForEveryone: false, closedAt: null };
      rooms.set(id, r);
      members.set(key(id, ownerId), { role: 'host', bannedAt: null, mutedUntil: null });
      return r;
    },
    async findById(id: string) { return rooms.get(id) ?? null; },
    async update(id: string, data: Partial<RoomRecord>) { const r = { ...rooms.get(id)!, ...data }; rooms.set(id, r); return r; },
    async membership(r: string, u: string) { return members.get(key(r, u)) ?? null; },
    async roleOf(r: string, u: string) { const m = members.get(key(r, u)); return m && !m.bannedAt ? m.role : null; },
    async addMember(r: string, u: string, role: RoomRole) { const m = members.get(key(r, u)) ?? { role, bannedAt: null, mutedUntil: null }; members.set(key(r, u), m); return m.role; },
    async setRole(r: string, u: string, role: RoomRole) { members.get(key(r, u))!.role = role; },
    async setMutedUntil(r: string, u: string, d: Date | null) { members.get(key(r, u))!.mutedUntil = d; },
    async ban(r: string, u: string) { members.get(key(r, u))!.bannedAt = new Date(); },
    async removeMember(r: string, u: string) { members.delete(key(r, u)); },
  };
  const hasher = {
    async hash(p: string) { return `h:${p}`; },
    async verify(h: string, p: string) { return h === `h:${p}`; },
    async burn() {},
  };
  let guests = 0;
  const auth = { async createGuest(displayName: string) { guests++; return { user: { id: `guest-${guests}`, email: null, displayName, isGuest: true }, accessToken: 'tok' }; } };
  const counters = new Map<string, number>();
  const limits = {
    async failures(k: string) { return { count: counters.get(k) ?? 0, ttlSec: 600 }; },
    async addFailure(k: string) { counters.set(k, (counters.get(k) ?? 0) + 1); return counters.get(k)!; },
    async take() { return { ok: true, retryAfterMs: 0 }; },
  };
  const events: string[] = [];
  const ev = {
    roomUpdated: () => events.push('updated'),
    roomClosed: (id: string, msg: string) => events.push(`closed:${msg}`),
    memberChanged: (_r: string, u: string, y: { role: RoomRole }) => events.push(`changed:${u}:${y.role}`),
    memberRemoved: (_r: string, u: string) => events.push(`removed:${u}`),
  };
  const service = new RoomsService(repo as never, hasher as never, auth as never, limits as never, ev as never, { pinFailsPerIp: 5, pinFailsPerRoom: 20, pinFailWindowSec: 600 });
  return { service, members, key, events, counters };
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
    await expect(service.join('u1', room.id, '0000', '1.1.1.1')).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', 'x'.repeat(22), '1234', '1.1.1.1')).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', room.id, undefined, '1.1.1.1')).rejects.toBeInstanceOf(NotFoundException);
    expect((await service.join('u1', room.id, '1234', '1.1.1.1')).myRole).toBe('viewer');
    // Existing members need no PIN.
    expect((await service.join('u1', room.id, undefined, '1.1.1.1')).myRole).toBe('viewer');
  });

  it('rate-limits wrong PINs per room and address (429), other addresses still get in', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    for (let i = 0; i < 5; i++) await expect(service.join('u1', room.id, '9999', '1.1.1.1')).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u1', room.id, '1234', '1.1.1.1')).rejects.toBeInstanceOf(TooManyAttemptsException);
    expect((await service.join('u2', room.id, '1234', '2.2.2.2')).myRole).toBe('viewer');
  });

  it('rate-limits per room across addresses', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    for (let i = 0; i < 20; i++) await expect(service.join('u1', room.id, '9999', `10.0.0.${i}`)).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('u2', room.id, '1234', '10.9.9.9')).rejects.toBeInstanceOf(TooManyAttemptsException);
  });

  it('creates a guest viewer with a session when the PIN is right', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night', '1234');
    await expect(service.joinAsGuest(room.id, 'Ana', '1', '1.1.1.1')).rejects.toThrow(ROOM_JOIN_REFUSED);
    const g = await service.joinAsGuest(room.id, 'Ana', '1234', '1.1.1.1');
    expect(g).toMatchObject({ user: { displayName: 'Ana', isGuest: true }, accessToken: 'tok', room: { myRole: 'viewer' } });
  });

  it('refuses banned members everywhere and kicks through the events', async () => {
    const { service, events } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, 'ip');
    await service.kick('host', room.id, 'v', true);
    expect(events).toContain('removed:v');
    await expect(service.requireMember('v', room.id)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(service.join('v', room.id, undefined, 'ip')).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.get('v', room.id)).rejects.toThrow(ROOM_JOIN_REFUSED);
  });

  it('lets moderators kick viewers but not the host or other moderators; only the host sets roles', async () => {
    const { service } = setup();
    const room = await service.create('host', 'Night');
    for (const u of ['m1', 'm2', 'v']) await service.join(u, room.id, undefined, 'ip');
    await expect(service.setRole('m1', room.id, 'm2', 'moderator')).rejects.toThrow('Only the host');
    await service.setRole('host', room.id, 'm1', 'moderator');
    await service.setRole('host', room.id, 'm2', 'moderator');
    await expect(service.kick('m1', room.id, 'm2', false)).rejects.toThrow('Only the host can do that to a moderator.');
    await expect(service.kick('m1', room.id, 'host', false)).rejects.toThrow('host');
    await expect(service.kick('v', room.id, 'm1', false)).rejects.toThrow('Only the host or a moderator');
    await service.kick('m1', room.id, 'v', false);
    await expect(service.requireMember('v', room.id)).rejects.toBeInstanceOf(ForbiddenException);
    // A kick without a ban: they may come back with the link.
    expect((await service.join('v', room.id, undefined, 'ip')).myRole).toBe('viewer');
  });

  it('mutes until a time and unmutes with 0 minutes', async () => {
    const { service, members, key } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, 'ip');
    expect(await service.mute('host', room.id, 'v', 10, 0)).toEqual({ role: 'viewer', mutedUntil: new Date(600_000).toISOString() });
    expect(members.get(key(room.id, 'v'))!.mutedUntil).toEqual(new Date(600_000));
    expect((await service.mute('host', room.id, 'v', 0)).mutedUntil).toBeNull();
  });

  it('closes the room for everyone: joins refused, members still read it with closedAt', async () => {
    const { service, events } = setup();
    const room = await service.create('host', 'Night');
    await service.join('v', room.id, undefined, 'ip');
    await expect(service.close('v', room.id)).rejects.toThrow('Only the host');
    await service.close('host', room.id);
    expect(events).toContain('closed:This room was closed by the host');
    await expect(service.join('stranger', room.id, undefined, 'ip')).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.joinAsGuest(room.id, 'G', undefined, 'ip')).rejects.toThrow(ROOM_JOIN_REFUSED);
    await expect(service.join('v', room.id, undefined, 'ip')).rejects.toBeInstanceOf(GoneException);
    expect((await service.get('v', room.id)).closedAt).not.toBeNull();
  });

  it('lets only the host change the room and broadcasts the change', async () => {
    const { service, events } = setup();
    const room = await service.create('host', 'Night', '1234');
    await service.join('v', room.id, '1234', 'ip');
    await expect(service.update('v', room.id, { name: 'x' })).rejects.toBeInstanceOf(ForbiddenException);
    const updated = await service.update('host', room.id, { pin: null, controlLocked: true });
    expect(updated).toMatchObject({ hasPin: false, options: { controlLocked: true } });
    expect(events).toContain('updated');
  });
});
