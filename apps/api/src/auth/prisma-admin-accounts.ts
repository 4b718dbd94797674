import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { AdminAccounts } from './admin-policy.js';

@Injectable()
export class PrismaAdminAccounts extends AdminAccounts {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async firstAccountId(): Promise<string | null> {
    const first = await this.prisma.client.user.findFirst({
      where: { isGuest: false },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    return first?.id ?? null;
  }
}
