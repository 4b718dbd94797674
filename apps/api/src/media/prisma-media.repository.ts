import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { MediaRepository, type MediaRecord } from './media.repository.js';

@Injectable()
export class PrismaMediaRepository extends MediaRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  create(data: { id: string; roomId: string; uploaderId: string; originalName: string; sizeBytes: number }): Promise<MediaRecord> {
    return this.prisma.client.media.create({ data: { ...data, sizeBytes: BigInt(data.sizeBytes) } });
  }

  findById(id: string): Promise<MediaRecord | null> {
    return this.prisma.client.media.findUnique({ where: { id } });
  }

  listByRoom(roomId: string, limit = 200): Promise<MediaRecord[]> {
    return this.prisma.client.media.findMany({ where: { roomId }, orderBy: { createdAt: 'desc' }, take: limit });
  }

  async resetForRetry(id: string): Promise<boolean> {
    const r = await this.prisma.client.media.updateMany({
      where: { id, status: 'failed' },
      data: { status: 'queued', progress: 0, etaSec: null, error: null, playable: false, processingStartedAt: null },
    });
    return r.count === 1;
  }

  async cancel(id: string, reason: string): Promise<boolean> {
    // An import cancelled before its file arrived keeps nothing: its quota reservation is released.
    const importing = await this.prisma.client.media.updateMany({
      where: { id, status: 'importing' },
      data: { status: 'failed', error: reason, etaSec: null, sizeBytes: 0n, importedBytes: null, importTotalBytes: null },
    });
    if (importing.count === 1) return true;
    const r = await this.prisma.client.media.updateMany({
      where: { id, status: { in: ['queued', 'processing'] } },
      data: { status: 'failed', error: reason, etaSec: null, playable: false },
    });
    return r.count === 1;
  }

  async bytesInUse(userId: string, now: Date): Promise<number> {
    const [media, uploads] = await Promise.all([
      this.prisma.client.media.aggregate({ where: { uploaderId: userId }, _sum: { sizeBytes: true } }),
      this.prisma.client.upload.aggregate({ where: { userId, expiresAt: { gt: now } }, _sum: { sizeBytes: true } }),
    ]);
    return Number(media._sum.sizeBytes ?? 0n) + Number(uploads._sum.sizeBytes ?? 0n);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.client.media.updateMany({ where: { id }, data: { status: 'failed', error } });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.client.media.deleteMany({ where: { id } });
  }
}
