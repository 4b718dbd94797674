import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { unfinishedUploadsWhere } from './prisma-media.repository.js';
import { UploadReservations, type NewReservation, type ReserveOutcome } from './upload-reservations.js';

/**
 * Reservations as Upload rows. `reserve` runs in one transaction holding a per-user advisory lock, so the
 * sum it reads cannot change before its row is inserted: 20 parallel creations are decided one after the
 * other (READ COMMITTED: each statement after the lock sees the rows the previous holder committed).
 */
@Injectable()
export class PrismaUploadReservations extends UploadReservations {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  reserve(r: NewReservation, quotaBytes: number): Promise<ReserveOutcome> {
    return this.prisma.client.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`quota:${r.userId}`}, 0))::text AS locked`;
      const [media, uploads] = await Promise.all([
        tx.media.aggregate({ where: { uploaderId: r.userId }, _sum: { sizeBytes: true } }),
        tx.upload.aggregate({ where: unfinishedUploadsWhere(r.userId, new Date()), _sum: { sizeBytes: true } }),
      ]);
      const usedBytes = Number(media._sum.sizeBytes ?? 0n) + Number(uploads._sum.sizeBytes ?? 0n);
      if (usedBytes + r.sizeBytes > quotaBytes) return { reserved: false, usedBytes };
      await tx.upload.create({ data: { ...r, sizeBytes: BigInt(r.sizeBytes) } });
      return { reserved: true };
    });
  }

  async claim(id: string, mediaId: string): Promise<boolean> {
    const r = await this.prisma.client.upload.updateMany({ where: { id, mediaId: null }, data: { mediaId } });
    return r.count === 1;
  }

  async release(id: string): Promise<void> {
    await this.prisma.client.upload.deleteMany({ where: { id } });
  }
}
