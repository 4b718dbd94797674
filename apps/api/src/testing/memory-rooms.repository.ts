import type { RoomRole } from '@reelroom/contracts';
import type { MembershipRecord, RoomRecord, RoomsRepository } from '../rooms/rooms.repository.js';

/** RoomsRepository in memory, with the database's behaviour (bans keep the row, joining twice keeps the role). */
export class MemoryRoomsRepository implements RoomsRepository {
  readonly rooms = new Map<string, RoomRecord>();
  readonly members = new Map<string, MembershipRecord>();

  key(roomId: string, userId: string): string {
    return `${roomId}/${userId}`;
  }

  /** Test set-up: a room (open, no PIN unless given) with its host. */
  seed(room: Partial<RoomRecord> & { id: string }, hostId = 'host'): RoomRecord {
    const r: RoomRecord = {
      name: 'Room',
      ownerId: hostId,
      createdAt: new Date(0),
      pinHash: null,
      controlLocked: false,
      waitForEveryone: false,
      queueOpen: false,
      skipVote: false,
      closedAt: null,
      ...room,
    };
    this.rooms.set(r.id, r);
    this.members.set(this.key(r.id, hostId), { role: 'host', bannedAt: null, mutedUntil: null });
    return r;
  }

  /** Test set-up: a membership row. */
  seedMember(roomId: string, userId: string, m: Partial<MembershipRecord> = {}): void {
    this.members.set(this.key(roomId, userId), { role: 'viewer', bannedAt: null, mutedUntil: null, ...m });
  }

  async createWithHost(id: string, name: string, ownerId: string, pinHash: string | null = null): Promise<RoomRecord> {
    const r: RoomRecord = {
      id,
      name,
      ownerId,
      pinHash,
      createdAt: new Date(0),
      controlLocked: false,
      waitForEveryone: false,
      queueOpen: false,
      skipVote: false,
      closedAt: null,
    };
    this.rooms.set(id, r);
    this.members.set(this.key(id, ownerId), { role: 'host', bannedAt: null, mutedUntil: null });
    return r;
  }

  async update(id: string, data: Partial<RoomRecord>): Promise<RoomRecord> {
    const r = { ...this.rooms.get(id)!, ...data };
    this.rooms.set(id, r);
    return r;
  }

  async findById(id: string): Promise<RoomRecord | null> {
    return this.rooms.get(id) ?? null;
  }

  /** Display names by user id, for the preview's host name (tests set them). */
  readonly names = new Map<string, string>();

  async userName(userId: string): Promise<string | null> {
    return this.names.get(userId) ?? null;
  }

  async membership(roomId: string, userId: string): Promise<MembershipRecord | null> {
    return this.members.get(this.key(roomId, userId)) ?? null;
  }

  async standing(roomId: string, userId: string): Promise<{ room: RoomRecord | null; membership: MembershipRecord | null }> {
    return { room: await this.findById(roomId), membership: await this.membership(roomId, userId) };
  }

  async setRole(roomId: string, userId: string, role: RoomRole): Promise<void> {
    this.members.get(this.key(roomId, userId))!.role = role;
  }

  async setMutedUntil(roomId: string, userId: string, mutedUntil: Date | null): Promise<void> {
    this.members.get(this.key(roomId, userId))!.mutedUntil = mutedUntil;
  }

  async ban(roomId: string, userId: string): Promise<void> {
    Object.assign(this.members.get(this.key(roomId, userId))!, { bannedAt: new Date(), role: 'viewer' });
  }

  async bans(roomId: string): Promise<Array<{ userId: string; name: string; bannedAt: Date }>> {
    return [...this.members.entries()]
      .filter(([k, m]) => k.startsWith(`${roomId}/`) && m.bannedAt)
      .map(([k, m]) => {
        const userId = k.slice(roomId.length + 1);
        return { userId, name: this.names.get(userId) ?? userId, bannedAt: m.bannedAt! };
      });
  }

  async transferHost(roomId: string, from: string, to: string): Promise<void> {
    Object.assign(this.members.get(this.key(roomId, to))!, { role: 'host', mutedUntil: null });
    this.members.get(this.key(roomId, from))!.role = 'moderator';
    this.rooms.get(roomId)!.ownerId = to;
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    this.members.delete(this.key(roomId, userId));
  }

  async addMember(roomId: string, userId: string, role: RoomRole): Promise<RoomRole> {
    const m = this.members.get(this.key(roomId, userId)) ?? { role, bannedAt: null, mutedUntil: null };
    this.members.set(this.key(roomId, userId), m);
    return m.role;
  }

  async listForUser(userId: string): Promise<Array<RoomRecord & { role: RoomRole }>> {
    return [...this.members.entries()]
      .filter(([k, m]) => k.endsWith(`/${userId}`) && !m.bannedAt)
      .map(([k, m]) => ({ ...this.rooms.get(k.split('/')[0])!, role: m.role }));
  }
}
