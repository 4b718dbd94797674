import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { UploadsRepository, type UploadRecord } from './uploads.repository.js';

@Injectable()
export class PrismaUploadsRepository extends UploadsRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  findById(id: string): Promise<UploadRecord | null> {
    return this.prisma.client.upload.findUnique({ where: { id } });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.prisma.client.upload.deleteMany({ where: { id } })).count === 1;
  }

  async deleteExpired(now: Date): Promise<string[]> {
    const rows = await this.prisma.client.upload.findMany({ where: { expiresAt: { lte: now } }, select: { id: true } });
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await this.prisma.client.upload.deleteMany({ where: { id: { in: ids }, expiresAt: { lte: now } } });
    return ids;
  }
}
