import { Injectable } from '@nestjs/common';
import type { Media } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';

export type MediaRecord = Media;

@Injectable()
export class MediaRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: { id: string; roomId: string; uploaderId: string; originalName: string; sizeBytes: number }): Promise<MediaRecord> {
    return this.prisma.client.media.create({ data: { ...data, sizeBytes: BigInt(data.sizeBytes) } });
  }

  findById(id: string): Promise<MediaRecord | null> {
    return this.prisma.client.media.findUnique({ where: { id } });
  }

  listByRoom(roomId: string, limit = 200): Promise<MediaRecord[]> {
    return this.prisma.client.media.findMany({ where: { roomId }, orderBy: { createdAt: 'desc' }, take: limit });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.client.media.updateMany({ where: { id }, data: { status: 'failed', error } });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.client.media.deleteMany({ where: { id } });
  }
}
