import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ClientInfo } from './auth.types.js';
import { SessionsRepository, type SessionRecord, type SessionWithUser } from './sessions.repository.js';

@Injectable()
export class PrismaSessionsRepository extends SessionsRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async create(userId: string, tokenHash: string, expiresAt: Date, client: ClientInfo): Promise<{ id: string }> {
    return this.prisma.client.session.create({
      data: {
        userId,
        tokenHash,
        expiresAt,
        address: client.address,
        deviceId: client.deviceId,
        userAgent: client.userAgent?.slice(0, 300),
      },
      select: { id: true },
    });
  }

  findByTokenHash(tokenHash: string): Promise<SessionWithUser | null> {
    return this.prisma.client.session.findUnique({
      where: { tokenHash },
      select: { id: true, expiresAt: true, user: { select: { id: true, email: true, displayName: true, isGuest: true } } },
    });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.client.session.deleteMany({ where: { id } });
  }

  listForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.prisma.client.session.findMany({
      where: { userId, expiresAt: { gt: now } },
      select: { id: true, createdAt: true, lastSeenAt: true, address: true, userAgent: true },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
  }

  async deleteForUser(userId: string, id: string): Promise<boolean> {
    return (await this.prisma.client.session.deleteMany({ where: { id, userId } })).count > 0;
  }

  async deleteAllForUser(userId: string): Promise<void> {
    await this.prisma.client.session.deleteMany({ where: { userId } });
  }

  async clientsOf(userId: string): Promise<{ deviceIds: string[]; addresses: string[] }> {
    const rows = await this.prisma.client.session.findMany({ where: { userId }, select: { deviceId: true, address: true }, take: 100 });
    const uniq = (xs: Array<string | null>) => [...new Set(xs.filter((x): x is string => !!x))];
    return { deviceIds: uniq(rows.map((r) => r.deviceId)), addresses: uniq(rows.map((r) => r.address)) };
  }
}
