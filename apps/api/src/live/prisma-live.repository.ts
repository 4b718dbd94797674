import { Injectable } from '@nestjs/common';
import { LIVE_END_REASONS, type LiveEndReason, type LiveMode } from '@reelroom/contracts';
import { PrismaService } from '../prisma/prisma.service.js';
import { LiveRepository, type LiveRecord } from './live.repository.js';

const SELECT = {
  roomId: true,
  streamKeyHash: true,
  status: true,
  mode: true,
  streamId: true,
  startedAt: true,
  endedAt: true,
  replayMediaId: true,
  endReason: true,
} as const;

/** The row with its endReason narrowed (the column's CHECK constraint allows only LIVE_END_REASONS). */
const toRecord = <T extends { endReason: string | null }>(row: T): Omit<T, 'endReason'> & { endReason: LiveEndReason | null } => ({
  ...row,
  endReason: LIVE_END_REASONS.find((r) => r === row.endReason) ?? null,
});

@Injectable()
export class PrismaLiveRepository extends LiveRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async find(roomId: string): Promise<LiveRecord | null> {
    const row = await this.prisma.client.roomLive.findUnique({ where: { roomId }, select: SELECT });
    return row && toRecord(row);
  }

  async findByStream(streamId: string): Promise<LiveRecord | null> {
    const row = await this.prisma.client.roomLive.findUnique({ where: { streamId }, select: SELECT });
    return row && toRecord(row);
  }

  async setKey(roomId: string, keyHash: string, mode: LiveMode): Promise<LiveRecord> {
    return toRecord(
      await this.prisma.client.roomLive.upsert({
        where: { roomId },
        create: { roomId, streamKeyHash: keyHash, mode },
        update: { streamKeyHash: keyHash, mode },
        select: SELECT,
      }),
    );
  }

  async rotateKey(roomId: string, keyHash: string): Promise<LiveRecord | null> {
    const r = await this.prisma.client.roomLive.updateMany({ where: { roomId }, data: { streamKeyHash: keyHash } });
    return r.count === 1 ? this.find(roomId) : null;
  }

  async disableKey(roomId: string): Promise<boolean> {
    const r = await this.prisma.client.roomLive.updateMany({ where: { roomId }, data: { streamKeyHash: null } });
    return r.count === 1;
  }

  async enabledKeys(): Promise<Array<{ roomId: string; streamKeyHash: string }>> {
    const rows = await this.prisma.client.roomLive.findMany({
      where: { streamKeyHash: { not: null }, room: { closedAt: null } },
      select: { roomId: true, streamKeyHash: true },
    });
    return rows.flatMap((r) => (r.streamKeyHash ? [{ roomId: r.roomId, streamKeyHash: r.streamKeyHash }] : []));
  }

  async ensureRow(roomId: string): Promise<void> {
    await this.prisma.client.roomLive.upsert({
      where: { roomId },
      create: { roomId, mode: 'standard' },
      update: {},
      select: { roomId: true },
    });
  }

  async openRooms(roomIds: string[]): Promise<Set<string>> {
    if (roomIds.length === 0) return new Set();
    const rows = await this.prisma.client.room.findMany({ where: { id: { in: roomIds }, closedAt: null }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  async claim(roomId: string, keyHash: string | null, streamId: string, staleBefore: Date): Promise<boolean> {
    // One UPDATE ... WHERE (the room's closedAt is checked in the same statement): two publishers racing
    // on two API processes cannot both win.
    const r = await this.prisma.client.roomLive.updateMany({
      where: {
        roomId,
        ...(keyHash === null ? {} : { streamKeyHash: keyHash }),
        OR: [{ status: { in: ['idle', 'ended'] } }, { status: { in: ['starting', 'live'] }, updatedAt: { lt: staleBefore } }],
        room: { is: { closedAt: null } },
      },
      data: { status: 'starting', streamId, startedAt: new Date(), endedAt: null, replayMediaId: null, endReason: null },
    });
    return r.count === 1;
  }

  async heartbeat(streamIds: string[]): Promise<void> {
    if (streamIds.length === 0) return;
    await this.prisma.client.roomLive.updateMany({
      where: { streamId: { in: streamIds }, status: { in: ['starting', 'live'] } },
      data: { updatedAt: new Date() },
    });
  }

  async reconnecting(streamId: string): Promise<boolean> {
    const r = await this.prisma.client.roomLive.updateMany({ where: { streamId, status: 'live' }, data: { status: 'starting' } });
    return r.count === 1;
  }

  async resumed(streamId: string): Promise<boolean> {
    const r = await this.prisma.client.roomLive.updateMany({ where: { streamId, status: 'starting' }, data: { status: 'live' } });
    return r.count === 1;
  }

  async end(streamId: string): Promise<boolean> {
    const r = await this.prisma.client.roomLive.updateMany({
      where: { streamId, status: { in: ['starting', 'live'] } },
      data: { status: 'ended', endedAt: new Date() },
    });
    return r.count === 1;
  }
}
