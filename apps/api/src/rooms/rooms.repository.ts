import { Injectable } from '@nestjs/common';
import type { RoomRole } from '@reelroom/contracts';
import { PrismaService } from '../prisma/prisma.service.js';

export interface RoomRecord {
  id: string;
  name: string;
  ownerId: string;
  createdAt: Date;
}

@Injectable()
export class RoomsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the room and its host membership in one transaction. */
  async createWithHost(id: string, name: string, ownerId: string): Promise<RoomRecord> {
    return this.prisma.client.room.create({
      data: { id, name, ownerId, members: { create: { userId: ownerId, role: 'host' } } },
    });
  }

  findById(id: string): Promise<RoomRecord | null> {
    return this.prisma.client.room.findUnique({ where: { id } });
  }

  async roleOf(roomId: string, userId: string): Promise<RoomRole | null> {
    const m = await this.prisma.client.roomMember.findUnique({ where: { roomId_userId: { roomId, userId } }, select: { role: true } });
    return m?.role ?? null;
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
      where: { userId },
      orderBy: { joinedAt: 'desc' },
      select: { role: true, room: true },
    });
    return rows.map((r) => ({ ...r.room, role: r.role }));
  }
}
