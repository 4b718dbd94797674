import { Injectable } from '@nestjs/common';
import type { Prisma } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';
import { MediaRepository, type MediaRecord } from './media.repository.js';
import { storageFolderOf } from './library.js';

/** Upload rows that still hold bytes against the quota: not expired, and not yet a Media row. */
export const unfinishedUploadsWhere = (userId: string, now: Date): Prisma.UploadWhereInput => ({
  userId,
  expiresAt: { gt: now },
  finishedAt: null,
});

@Injectable()
export class PrismaMediaRepository extends MediaRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async create(
    data: { id: string; roomId: string; uploaderId: string; originalName: string; sizeBytes: number },
    reservationId?: string,
  ): Promise<MediaRecord> {
    const create = this.prisma.client.media.create({ data: { ...data, sizeBytes: BigInt(data.sizeBytes) } });
    if (!reservationId) return create;
    // The media starts counting against the quota in the same transaction as the reservation stops.
    const [row] = await this.prisma.client.$transaction([
      create,
      this.prisma.client.upload.updateMany({ where: { id: reservationId }, data: { finishedAt: new Date() } }),
    ]);
    return row;
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

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.client.media.updateMany({ where: { id }, data: { status: 'failed', error } });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.client.media.deleteMany({ where: { id } });
  }

  deleteAndRelease(id: string): Promise<{ last: boolean } | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const m = await tx.media.findUnique({ where: { id }, select: { id: true, storageId: true } });
      if (!m) return null;
      const folder = storageFolderOf(m);
      await lockStoredFolder(tx, folder);
      const gone = await tx.media.deleteMany({ where: { id } });
      if (gone.count === 0) return null;
      return { last: (await tx.media.count({ where: sharingFolder(folder) })) === 0 };
    });
  }
}

/** The rows that play a stored folder: its first row and every library copy of it. */
export const sharingFolder = (folder: string): Prisma.MediaWhereInput => ({ OR: [{ id: folder }, { storageId: folder }] });

/**
 * Serialises what adds or removes holders of one stored folder (add from library, delete), so the last
 * holder's delete and a new copy never cross: the copy either sees no holder left or the delete sees it.
 */
export async function lockStoredFolder(tx: Prisma.TransactionClient, folder: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`media-files:${folder}`}, 0))::text AS locked`;
}
