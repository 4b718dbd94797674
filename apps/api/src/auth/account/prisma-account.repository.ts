import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service.js';
import type { UserRecord } from '../auth.types.js';
import { AccountRepository, PasswordResetsRepository } from './account.repository.js';

const USER = { id: true, email: true, displayName: true, passwordHash: true, isGuest: true } as const;

@Injectable()
export class PrismaAccountRepository extends AccountRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  findById(userId: string): Promise<UserRecord | null> {
    return this.prisma.client.user.findUnique({ where: { id: userId }, select: USER });
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.client.user.findUnique({ where: { email }, select: USER });
  }

  rename(userId: string, displayName: string): Promise<UserRecord> {
    return this.prisma.client.user.update({ where: { id: userId }, data: { displayName }, select: USER });
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.prisma.client.user.update({ where: { id: userId }, data: { passwordHash } });
  }

  async deleteOtherSessions(userId: string, keepSessionId: string): Promise<string[]> {
    const rows = await this.prisma.client.session.findMany({ where: { userId, id: { not: keepSessionId } }, select: { id: true } });
    const ids = rows.map((r) => r.id);
    if (ids.length) await this.prisma.client.session.deleteMany({ where: { userId, id: { in: ids } } });
    return ids;
  }
}

@Injectable()
export class PrismaPasswordResets extends PasswordResetsRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async replace(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.client.$transaction([
      this.prisma.client.passwordResetToken.deleteMany({ where: { userId } }),
      this.prisma.client.passwordResetToken.create({ data: { userId, tokenHash, expiresAt } }),
    ]);
  }

  async findValid(tokenHash: string, now: Date): Promise<string | null> {
    const row = await this.prisma.client.passwordResetToken.findFirst({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      select: { userId: true },
    });
    return row?.userId ?? null;
  }

  async consume(tokenHash: string, now: Date): Promise<string | null> {
    const used = await this.prisma.client.passwordResetToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count === 0) return null;
    const row = await this.prisma.client.passwordResetToken.findUnique({ where: { tokenHash }, select: { userId: true } });
    return row?.userId ?? null;
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.prisma.client.passwordResetToken.deleteMany({ where: { userId } });
  }
}
