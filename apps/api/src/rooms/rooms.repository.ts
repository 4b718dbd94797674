import type { RoomRole } from '@reelroom/contracts';

export interface RoomRecord {
  id: string;
  name: string;
  ownerId: string;
  createdAt: Date;
  pinHash: string | null;
  controlLocked: boolean;
  waitForEveryone: boolean;
  queueOpen: boolean;
  skipVote: boolean;
  closedAt: Date | null;
}

export interface MembershipRecord {
  role: RoomRole;
  bannedAt: Date | null;
  mutedUntil: Date | null;
}

/** Rooms and memberships as RoomsService and RoomAccessPolicy need them (PrismaRoomsRepository in production). */
export abstract class RoomsRepository {
  /** Creates the room and its host membership in one transaction. */
  abstract createWithHost(id: string, name: string, ownerId: string, pinHash?: string | null): Promise<RoomRecord>;
  abstract update(
    id: string,
    data: Partial<Pick<RoomRecord, 'name' | 'pinHash' | 'controlLocked' | 'waitForEveryone' | 'queueOpen' | 'skipVote' | 'closedAt'>>,
  ): Promise<RoomRecord>;
  abstract findById(id: string): Promise<RoomRecord | null>;
  /**
   * The room and the caller's membership row (banned ones included) together: what RoomAccessPolicy
   * decides on, on every chat message and playback command, so one read.
   */
  abstract standing(roomId: string, userId: string): Promise<{ room: RoomRecord | null; membership: MembershipRecord | null }>;
  /** A user's display name (the host's for the preview, a target's for moderation lines). */
  abstract userName(userId: string): Promise<string | null>;
  /** The membership row, banned ones included (a ban outlives the membership). */
  abstract membership(roomId: string, userId: string): Promise<MembershipRecord | null>;
  abstract setRole(roomId: string, userId: string, role: RoomRole): Promise<void>;
  abstract setMutedUntil(roomId: string, userId: string, mutedUntil: Date | null): Promise<void>;
  /** Keeps the row so the ban outlives the membership (and demotes to viewer). */
  abstract ban(roomId: string, userId: string): Promise<void>;
  abstract removeMember(roomId: string, userId: string): Promise<void>;
  /** The room's banned people with their names, most recent first. */
  abstract bans(roomId: string): Promise<Array<{ userId: string; name: string; bannedAt: Date }>>;
  /** In one transaction: `to` becomes host and the room's owner, `from` a moderator. */
  abstract transferHost(roomId: string, from: string, to: string): Promise<void>;
  /** Idempotent: joining twice keeps the first role. */
  abstract addMember(roomId: string, userId: string, role: RoomRole): Promise<RoomRole>;
  /** The rooms the user belongs to (not banned), most recently joined first. */
  abstract listForUser(userId: string): Promise<Array<RoomRecord & { role: RoomRole }>>;
}
