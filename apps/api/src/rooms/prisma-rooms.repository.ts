import { Injectable } from '@nestjs/common';
import type { RoomRole } from '@reelroom/contracts';
import { PrismaService } from '../prisma/prisma.service.js';
import { RoomsRepository, type MembershipRecord, type RoomRecord } from './rooms.repository.js';

/** A room row with the caller's membership columns (null when they have none). */
type StandingRow = RoomRecord & { role: RoomRole | null; bannedAt: Date | null; mutedUntil: Date | null };

@Injectable()
export class PrismaRoomsRepository extends RoomsRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  /** Creates the room and its host membership in one transaction. */
  async createWithHost(id: string, name: string, ownerId: string, pinHash: string | null = null): Promise<RoomRecord> {
    return this.prisma.client.room.create({
      data: { id, name, ownerId, pinHash, members: { create: { userId: ownerId, role: 'host' } } },
    });
  }

  update(id: string, data: Parameters<RoomsRepository['update']>[1]): Promise<RoomRecord> {
    return this.prisma.client.room.update({ where: { id }, data });
  }

  membership(roomId: string, userId: string): Promise<MembershipRecord | null> {
    return this.prisma.client.roomMember.findUnique({
      where: { roomId_userId: { roomId, userId } },
      select: { role: true, bannedAt: true, mutedUntil: true },
    });
  }

  async setRole(roomId: string, userId: string, role: RoomRole): Promise<void> {
    await this.prisma.client.roomMember.update({ where: { roomId_userId: { roomId, userId } }, data: { role } });
  }

  async setMutedUntil(roomId: string, userId: string, mutedUntil: Date | null): Promise<void> {
    await this.prisma.client.roomMember.update({ where: { roomId_userId: { roomId, userId } }, data: { mutedUntil } });
  }

  /** The row is kept so the ban outlives the membership (and demotes to viewer). */
  async ban(roomId: string, userId: string): Promise<void> {
    await this.prisma.client.roomMember.update({
      where: { roomId_userId: { roomId, userId } },
      data: { bannedAt: new Date(), role: 'viewer' },
    });
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.prisma.client.roomMember.deleteMany({ where: { roomId, userId } });
  }

  async bans(roomId: string): Promise<Array<{ userId: string; name: string; bannedAt: Date }>> {
    const rows = await this.prisma.client.roomMember.findMany({
      where: { roomId, bannedAt: { not: null } },
      orderBy: { bannedAt: 'desc' },
      select: { userId: true, bannedAt: true, user: { select: { displayName: true } } },
    });
    return rows.map((r) => ({ userId: r.userId, name: r.user.displayName, bannedAt: r.bannedAt! }));
  }

  async transferHost(roomId: string, from: string, to: string): Promise<void> {
    const c = this.prisma.client;
    await c.$transaction([
      c.roomMember.update({ where: { roomId_userId: { roomId, userId: to } }, data: { role: 'host', mutedUntil: null } }),
      c.roomMember.update({ where: { roomId_userId: { roomId, userId: from } }, data: { role: 'moderator' } }),
      c.room.update({ where: { id: roomId }, data: { ownerId: to } }),
    ]);
  }

  findById(id: string): Promise<RoomRecord | null> {
    return this.prisma.client.room.findUnique({ where: { id } });
  }

  /**
   * One round trip and one pooled connection instead of two model queries: this runs on every chat message
   * and playback command (bench/socket-load.mjs), and a Prisma model query costs far more CPU to build and
   * map than this statement (without the relationJoins preview an `include` would be two queries again).
   */
  async standing(roomId: string, userId: string): Promise<{ room: RoomRecord | null; membership: MembershipRecord | null }> {
    const [row] = await this.prisma.client.$queryRaw<Array<StandingRow>>`
      SELECT r."id", r."name", r."ownerId"::text AS "ownerId", r."createdAt", r."pinHash", r."controlLocked",
             r."waitForEveryone", r."queueOpen", r."skipVote", r."closedAt",
             m."role"::text AS "role", m."bannedAt", m."mutedUntil"
      FROM "Room" r
      LEFT JOIN "RoomMember" m ON m."roomId" = r."id" AND m."userId" = ${userId}::uuid
      WHERE r."id" = ${roomId}`;
    if (!row) return { room: null, membership: null };
    const { role, bannedAt, mutedUntil, ...room } = row;
    return { room, membership: role ? { role, bannedAt, mutedUntil } : null };
  }

  async userName(userId: string): Promise<string | null> {
    return (await this.prisma.client.user.findUnique({ where: { id: userId }, select: { displayName: true } }))?.displayName ?? null;
  }

  /** Idempotent: joining twice keeps the first role. */
  async addMember(roomId: string, userId: string, role: RoomRole): Promise<RoomRole> {
    const m = await this.prisma.client.roomMember.upsert({
      where: { roomId_userId: { roomId, userId } },
      create: { roomId, userId, role },
      update: {},
      select: { role: true },
    });
    return m.role;
  }

  async listForUser(userId: string): Promise<Array<RoomRecord & { role: RoomRole }>> {
    const rows = await this.prisma.client.roomMember.findMany({
      where: { userId, bannedAt: null },
      orderBy: { joinedAt: 'desc' },
      select: { role: true, room: true },
    });
    return rows.map((r) => ({ ...r.room, role: r.role }));
  }
}
