import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';

/** Lives in progress by state, for the reelroom_live_streams gauge (one grouped query per scrape). */
@Injectable()
export class LiveCounts {
  constructor(private readonly prisma: PrismaService) {}

  async byState(): Promise<Record<'starting' | 'live', number>> {
    const rows = await this.prisma.client.roomLive.groupBy({
      by: ['status'],
      where: { status: { in: ['starting', 'live'] } },
      _count: { _all: true },
    });
    const out = { starting: 0, live: 0 };
    for (const r of rows) if (r.status === 'starting' || r.status === 'live') out[r.status] = r._count._all;
    return out;
  }
}
