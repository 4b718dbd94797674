import { ForbiddenException, GoneException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { ROOM_JOIN_REFUSED, type RoomRole } from '@reelroom/contracts';
import { RoomsRepository, type MembershipRecord, type RoomRecord } from './rooms.repository.js';

export const ROOM_CLOSED = 'This room was closed by the host';
export const JOIN_FIRST = 'Join this room first.';
export const NO_SUCH_ROOM = 'This room does not exist.';

/** Where a person stands with a room: decided once, here, for REST, sockets and HLS alike. */
export type RoomAccess =
  | { kind: 'unknown' }
  | { kind: 'stranger'; room: RoomRecord }
  | { kind: 'banned'; room: RoomRecord }
  | { kind: 'closed'; room: RoomRecord; member: MembershipRecord }
  | { kind: 'member'; room: RoomRecord; member: MembershipRecord };

/**
 * What the caller wants to do:
 * - `see`: read the room and what is in it (media list, a media item), manage what you put there, run the
 *   room as its host. Allowed in a closed room: its members still read it (with closedAt).
 * - `take-part`: be in the room now: chat, upload, retry a transcode, control playback, fetch its streams.
 *   A closed room answers 410.
 * - `enter`: a socket joining the room (and a recovered socket rejoining): take-part, but a stranger, a
 *   ban and an unknown room get the same generic refusal as the REST join endpoint, so an id tells a
 *   non-member nothing (not even that a PIN room exists).
 * - `run`: the host's settings, closing, moderation: see, but a stranger and a ban get the same 404 as an
 *   unknown room.
 */
export type RoomNeed = 'see' | 'take-part' | 'enter' | 'run';

/** A member's standing, when access is granted. */
export interface GrantedAccess {
  room: RoomRecord;
  member: MembershipRecord;
  role: RoomRole;
}

/** Pure: the room and the caller's membership row (banned ones included) -> where they stand. */
export function decideRoomAccess(room: RoomRecord | null, membership: MembershipRecord | null): RoomAccess {
  if (!room) return { kind: 'unknown' };
  if (membership?.bannedAt) return { kind: 'banned', room };
  if (!membership) return { kind: 'stranger', room };
  return room.closedAt ? { kind: 'closed', room, member: membership } : { kind: 'member', room, member: membership };
}

/** Pure: the refusal (status and sentence) for this standing and need, or null when it is allowed. */
export function accessRefusal(access: RoomAccess, need: RoomNeed): HttpException | null {
  switch (access.kind) {
    case 'unknown':
      return new NotFoundException(need === 'enter' ? ROOM_JOIN_REFUSED : NO_SUCH_ROOM);
    case 'banned':
    case 'stranger':
      // Lists and uploads answer non-members 403; the join and host paths answer them like an unknown id.
      if (need === 'enter') return new NotFoundException(ROOM_JOIN_REFUSED);
      if (need === 'run') return new NotFoundException(NO_SUCH_ROOM);
      return new ForbiddenException(JOIN_FIRST);
    case 'closed':
      return need === 'see' || need === 'run' ? null : new GoneException(ROOM_CLOSED);
    case 'member':
      return null;
  }
}

/**
 * The one room-access rule, used by RoomMemberGuard and RoomsService (REST), the socket join and
 * recovery, chat, playback commands, uploads and HLS. It reads the room and the membership row and
 * decides member / closed / banned / stranger / unknown once; each caller says what it needs.
 */
@Injectable()
export class RoomAccessPolicy {
  constructor(private readonly rooms: RoomsRepository) {}

  /** `userId` null: someone without an account yet (a guest about to sign up). */
  async check(userId: string | null, roomId: string): Promise<RoomAccess> {
    if (!userId) return decideRoomAccess(await this.rooms.findById(roomId), null);
    const { room, membership } = await this.rooms.standing(roomId, userId);
    return decideRoomAccess(room, membership);
  }

  async allows(userId: string, roomId: string, need: RoomNeed): Promise<boolean> {
    return accessRefusal(await this.check(userId, roomId), need) === null;
  }

  /** The member's standing, or the refusal for this need thrown as an HttpException (404, 403, 410). */
  async require(userId: string, roomId: string, need: RoomNeed): Promise<GrantedAccess> {
    const access = await this.check(userId, roomId);
    const refusal = accessRefusal(access, need);
    if (refusal || (access.kind !== 'member' && access.kind !== 'closed')) throw refusal ?? new ForbiddenException(JOIN_FIRST);
    return { room: access.room, member: access.member, role: access.member.role };
  }
}
