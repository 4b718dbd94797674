import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { lockAndMeasureQuota } from './quota-ledger.js';
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
      const usedBytes = await lockAndMeasureQuota(tx, r.userId);
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
