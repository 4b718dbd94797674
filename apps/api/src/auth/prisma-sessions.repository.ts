import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { SessionsRepository, type SessionWithUser } from './sessions.repository.js';

@Injectable()
export class PrismaSessionsRepository extends SessionsRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async create(userId: string, tokenHash: string, expiresAt: Date): Promise<{ id: string }> {
    return this.prisma.client.session.create({ data: { userId, tokenHash, expiresAt }, select: { id: true } });
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
}
