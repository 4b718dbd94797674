import { Injectable } from '@nestjs/common';
import type { QueueItemView } from '@reelroom/contracts';
import type { Prisma } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';
import { UpNextRepository, type AddResult, type QueueItemRecord, type QueueMediaRecord } from './up-next.repository.js';

/** Serializes every change to one room's queue: the room's row lock, held to the end of the transaction. */
async function lockRoom(tx: Prisma.TransactionClient, roomId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Room" WHERE id = ${roomId} FOR UPDATE`;
}

/** Rewrites positions 0..n-1 in the given order (only rows whose position changed). */
async function renumber(tx: Prisma.TransactionClient, ordered: Array<{ id: string; position: number }>): Promise<void> {
  for (const [i, row] of ordered.entries()) {
    if (row.position !== i) await tx.queueItem.update({ where: { id: row.id }, data: { position: i } });
  }
}

const itemSelect = { id: true, mediaId: true, addedById: true, media: { select: { originalName: true } } } as const;
const toRecord = (r: { id: string; mediaId: string; addedById: string | null; media: { originalName: string } }): QueueItemRecord => ({
  id: r.id,
  mediaId: r.mediaId,
  name: r.media.originalName,
  addedById: r.addedById,
});

@Injectable()
export class PrismaUpNextRepository extends UpNextRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async list(roomId: string): Promise<QueueItemView[]> {
    const rows = await this.prisma.client.queueItem.findMany({
      where: { roomId },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
      select: {
        id: true,
        mediaId: true,
        media: { select: { originalName: true, durationSec: true, status: true, playable: true } },
        addedBy: { select: { id: true, displayName: true } },
      },
    });
    return rows.map((r) => ({
      id: r.id,
      mediaId: r.mediaId,
      name: r.media.originalName,
      durationSec: r.media.durationSec,
      playable: r.media.status === 'ready' || r.media.playable,
      addedBy: r.addedBy ? { userId: r.addedBy.id, name: r.addedBy.displayName } : null,
    }));
  }

  mediaInRoom(roomId: string, mediaId: string): Promise<QueueMediaRecord | null> {
    return this.prisma.client.media.findFirst({
      where: { id: mediaId, roomId },
      select: { id: true, originalName: true, status: true, durationSec: true },
    });
  }

  async durationSec(mediaId: string): Promise<number | null> {
    return (await this.prisma.client.media.findUnique({ where: { id: mediaId }, select: { durationSec: true } }))?.durationSec ?? null;
  }

  add(roomId: string, mediaId: string, addedById: string, max: number): Promise<AddResult> {
    return this.prisma.client.$transaction(async (tx) => {
      await lockRoom(tx, roomId);
      const count = await tx.queueItem.count({ where: { roomId } });
      if (count >= max) return { kind: 'full' as const };
      const row = await tx.queueItem.create({ data: { roomId, mediaId, addedById, position: count }, select: itemSelect });
      return { kind: 'added' as const, item: toRecord(row) };
    });
  }

  async item(roomId: string, itemId: string): Promise<QueueItemRecord | null> {
    const row = await this.prisma.client.queueItem.findFirst({ where: { id: itemId, roomId }, select: itemSelect });
    return row ? toRecord(row) : null;
  }

  move(roomId: string, itemId: string, index: number): Promise<boolean> {
    return this.prisma.client.$transaction(async (tx) => {
      await lockRoom(tx, roomId);
      const rows = await tx.queueItem.findMany({
        where: { roomId },
        orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
        select: { id: true, position: true },
      });
      const from = rows.findIndex((r) => r.id === itemId);
      if (from < 0) return false;
      const [moved] = rows.splice(from, 1);
      rows.splice(Math.min(index, rows.length), 0, moved);
      await renumber(tx, rows);
      return true;
    });
  }

  remove(roomId: string, itemId: string): Promise<boolean> {
    return this.prisma.client.$transaction(async (tx) => {
      await lockRoom(tx, roomId);
      const { count } = await tx.queueItem.deleteMany({ where: { id: itemId, roomId } });
      if (count === 0) return false;
      const rest = await tx.queueItem.findMany({
        where: { roomId },
        orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
        select: { id: true, position: true },
      });
      await renumber(tx, rest);
      return true;
    });
  }

  async next(roomId: string): Promise<QueueItemRecord | null> {
    const row = await this.prisma.client.queueItem.findFirst({
      where: { roomId, media: { OR: [{ status: 'ready' }, { playable: true, status: { not: 'failed' } }] } },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
      select: itemSelect,
    });
    return row ? toRecord(row) : null;
  }
}
