import { ForbiddenException, GoneException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ROOM_JOIN_REFUSED } from '@reelroom/contracts';
import { MemoryRoomsRepository } from '../testing/memory-rooms.repository.js';
import { accessRefusal, decideRoomAccess, RoomAccessPolicy, ROOM_CLOSED, type RoomNeed } from './room-access.policy.js';

const OPEN = 'A'.repeat(22);
const CLOSED = 'C'.repeat(22);

function setup() {
  const rooms = new MemoryRoomsRepository();
  rooms.seed({ id: OPEN });
  rooms.seed({ id: CLOSED, closedAt: new Date(0) });
  for (const id of [OPEN, CLOSED]) {
    rooms.seedMember(id, 'ana', { role: 'moderator' });
    rooms.seedMember(id, 'troll', { bannedAt: new Date(0) });
  }
  return { rooms, policy: new RoomAccessPolicy(rooms) };
}

/** The refusal for each standing and need, as [status, message], or 'ok'. */
async function answer(policy: RoomAccessPolicy, userId: string, roomId: string, need: RoomNeed) {
  try {
    const granted = await policy.require(userId, roomId, need);
    return `ok:${granted.role}`;
  } catch (err) {
    if (err instanceof NotFoundException || err instanceof ForbiddenException || err instanceof GoneException)
      return [err.getStatus(), err.message];
    throw err;
  }
}

describe(RoomAccessPolicy.name, () => {
  it('decides where someone stands from the room and their membership row', () => {
    const room = {
      id: OPEN,
      name: 'R',
      ownerId: 'h',
      createdAt: new Date(0),
      pinHash: null,
      controlLocked: false,
      waitForEveryone: false,
      queueOpen: false,
      skipVote: false,
      closedAt: null,
    };
    const member = { role: 'viewer' as const, bannedAt: null, mutedUntil: null };
    expect(decideRoomAccess(null, member).kind).toBe('unknown');
    expect(decideRoomAccess(room, null).kind).toBe('stranger');
    expect(decideRoomAccess(room, { ...member, bannedAt: new Date() }).kind).toBe('banned');
    expect(decideRoomAccess({ ...room, closedAt: new Date() }, { ...member, bannedAt: new Date() }).kind).toBe('banned');
    expect(decideRoomAccess({ ...room, closedAt: new Date() }, member).kind).toBe('closed');
    expect(decideRoomAccess(room, member).kind).toBe('member');
  });

  it('answers REST (see, take-part) and the socket join (enter) with their own statuses and sentences', async () => {
    const { policy } = setup();
    const table: Array<[string, string, RoomNeed, unknown]> = [
      ['ana', OPEN, 'see', 'ok:moderator'],
      ['ana', OPEN, 'take-part', 'ok:moderator'],
      ['ana', OPEN, 'enter', 'ok:moderator'],
      // A closed room: its members still read it, nobody takes part in it any more.
      ['ana', CLOSED, 'see', 'ok:moderator'],
      ['ana', CLOSED, 'take-part', [410, ROOM_CLOSED]],
      ['ana', CLOSED, 'enter', [410, ROOM_CLOSED]],
      ['stranger', OPEN, 'see', [403, 'Join this room first.']],
      // Issue 9: a non-member's socket join and host paths answer like an unknown id (no PIN-room oracle).
      ['stranger', OPEN, 'enter', [404, ROOM_JOIN_REFUSED]],
      ['stranger', OPEN, 'run', [404, 'This room does not exist.']],
      ['troll', OPEN, 'run', [404, 'This room does not exist.']],
      ['ana', CLOSED, 'run', 'ok:moderator'],
      // A ban: 403 like a stranger on REST; the join paths hide it behind the generic refusal.
      ['troll', OPEN, 'see', [403, 'Join this room first.']],
      ['troll', OPEN, 'take-part', [403, 'Join this room first.']],
      ['troll', OPEN, 'enter', [404, ROOM_JOIN_REFUSED]],
      ['troll', CLOSED, 'enter', [404, ROOM_JOIN_REFUSED]],
      ['ana', 'Z'.repeat(22), 'see', [404, 'This room does not exist.']],
      ['ana', 'Z'.repeat(22), 'enter', [404, ROOM_JOIN_REFUSED]],
    ];
    for (const [user, room, need, expected] of table)
      expect(await answer(policy, user, room, need), `${user} ${room} ${need}`).toEqual(expected);
  });

  it('answers yes or no for HLS, and sees a ban or a close at once', async () => {
    const { policy, rooms } = setup();
    expect(await policy.allows('ana', OPEN, 'take-part')).toBe(true);
    expect(await policy.allows('ana', CLOSED, 'take-part')).toBe(false);
    rooms.members.get(rooms.key(OPEN, 'ana'))!.bannedAt = new Date();
    expect(await policy.allows('ana', OPEN, 'see')).toBe(false);
    expect(accessRefusal({ kind: 'unknown' }, 'take-part')?.getStatus()).toBe(404);
  });

  it('checks a room for someone without an account (a guest signing up): unknown or a stranger', async () => {
    const { policy } = setup();
    expect((await policy.check(null, OPEN)).kind).toBe('stranger');
    expect((await policy.check(null, 'Z'.repeat(22))).kind).toBe('unknown');
  });
});
