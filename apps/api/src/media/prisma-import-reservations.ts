import { Injectable } from '@nestjs/common';
import type { Prisma } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';
import { lockAndMeasureQuota } from './quota-ledger.js';
import { ImportReservations, type ImportReservation } from './import-reservations.js';

@Injectable()
export class PrismaImportReservations extends ImportReservations {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  /**
   * Reserve, then act: under the person's quota lock (quota-ledger.ts, shared with uploads), so a
   * concurrent reservation, import or upload, waits and then reads the sum including this one.
   */
  reserve(d: Parameters<ImportReservations['reserve']>[0]): Promise<ImportReservation | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const used = await lockAndMeasureQuota(tx, d.uploaderId);
      const left = d.quotaBytes - used;
      if (left <= 0) return null;
      const reservedBytes = Math.min(d.maxUploadBytes, left);
      const row = await tx.media.create({
        data: {
          id: d.id,
          roomId: d.roomId,
          uploaderId: d.uploaderId,
          originalName: d.originalName,
          sourceUrl: d.sourceUrl,
          status: 'importing',
          sizeBytes: BigInt(reservedBytes),
          importedBytes: 0n,
        },
      });
      return { row, reservedBytes, limitReason: reservedBytes < d.maxUploadBytes ? 'quota' : 'upload-limit' };
    });
  }

  reserveAgain(d: Parameters<ImportReservations['reserveAgain']>[0]): Promise<ImportReservation | null> {
    return this.prisma.client.$transaction(async (tx) => {
      // A failed import holds 0 bytes (released when it failed), so the sum does not count it twice.
      const left = await this.lockAndMeasure(tx, d.uploaderId, d.quotaBytes);
      if (left <= 0) return null;
      const reservedBytes = Math.min(d.maxUploadBytes, left);
      const moved = await tx.media.updateMany({
        where: { id: d.id, status: 'failed', sourceUrl: { not: null } },
        data: {
          status: 'importing',
          sizeBytes: BigInt(reservedBytes),
          importedBytes: 0n,
          importTotalBytes: null,
          progress: 0,
          error: null,
        },
      });
      if (moved.count !== 1) return null;
      const row = await tx.media.findUniqueOrThrow({ where: { id: d.id } });
      return { row, reservedBytes, limitReason: reservedBytes < d.maxUploadBytes ? 'quota' : 'upload-limit' };
    });
  }

  async release(id: string, error: string): Promise<void> {
    await this.prisma.client.media.updateMany({
      where: { id, status: 'importing' },
      data: { status: 'failed', error, sizeBytes: 0n, importedBytes: null, importTotalBytes: null },
    });
  }

  /** Quota left for the user, with their row locked until the transaction ends (reserve, then act). */
  private async lockAndMeasure(tx: Prisma.TransactionClient, userId: string, quotaBytes: number): Promise<number> {
    return quotaBytes - (await lockAndMeasureQuota(tx, userId));
  }
}
