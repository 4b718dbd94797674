import { Injectable } from '@nestjs/common';
import type { Upload } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';

export type UploadRecord = Upload;

/** Unfinished resumable (tus) uploads: who owns them, for which room, until when. */
@Injectable()
export class UploadsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: { id: string; userId: string; roomId: string; sizeBytes: number; filename: string; expiresAt: Date }): Promise<UploadRecord> {
    return this.prisma.client.upload.create({ data: { ...data, sizeBytes: BigInt(data.sizeBytes) } });
  }

  findById(id: string): Promise<UploadRecord | null> {
    return this.prisma.client.upload.findUnique({ where: { id } });
  }

  /** true when this call deleted the row (so exactly one finisher proceeds). */
  async delete(id: string): Promise<boolean> {
    return (await this.prisma.client.upload.deleteMany({ where: { id } })).count === 1;
  }

  /** Deletes rows whose upload expired; returns their ids. */
  async deleteExpired(now: Date): Promise<string[]> {
    const rows = await this.prisma.client.upload.findMany({ where: { expiresAt: { lte: now } }, select: { id: true } });
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await this.prisma.client.upload.deleteMany({ where: { id: { in: ids }, expiresAt: { lte: now } } });
    return ids;
  }
}
