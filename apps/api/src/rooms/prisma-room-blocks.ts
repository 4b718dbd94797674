import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { RoomBlocks, type Knock, type RoomBlockEntry } from './room-blocks.js';

@Injectable()
export class PrismaRoomBlocks extends RoomBlocks {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  /** Adds the entries, and forgets the room's blocks that have run out (so the table does not grow with kicks). */
  async add(roomId: string, entries: RoomBlockEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.prisma.client.$transaction([
      this.prisma.client.roomBlock.deleteMany({ where: { roomId, until: { lt: new Date() } } }),
      this.prisma.client.roomBlock.createMany({ data: entries.map((e) => ({ roomId, ...e })) }),
    ]);
  }

  async remove(roomId: string, names: Array<Pick<RoomBlockEntry, 'kind' | 'value'>>): Promise<void> {
    if (names.length === 0) return;
    await this.prisma.client.roomBlock.deleteMany({ where: { roomId, OR: names } });
  }

  async blocks(roomId: string, knock: Knock, now: Date): Promise<boolean> {
    const names = [
      ...(knock.userId ? [{ kind: 'user' as const, value: knock.userId }] : []),
      ...(knock.deviceId ? [{ kind: 'device' as const, value: knock.deviceId }] : []),
      { kind: 'address' as const, value: knock.address },
    ];
    const hit = await this.prisma.client.roomBlock.findFirst({
      where: { roomId, OR: names, AND: [{ OR: [{ until: null }, { until: { gt: now } }] }] },
      select: { id: true },
    });
    return hit !== null;
  }
}
