import { Injectable } from '@nestjs/common';
import { Prisma } from '@reelroom/db';
import { PrismaService } from '../../prisma/prisma.service.js';
import type { UserRecord } from '../auth.types.js';
import { EmailTakenError } from '../users.repository.js';
import { ExternalIdentities } from './external-identities.repository.js';

const uniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

@Injectable()
export class PrismaExternalIdentities extends ExternalIdentities {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async findUser(provider: string, subject: string): Promise<UserRecord | null> {
    const row = await this.prisma.client.externalIdentity.findUnique({
      where: { provider_subject: { provider, subject } },
      include: { user: true },
    });
    return row?.user ?? null;
  }

  async link(provider: string, subject: string, email: string, userId: string): Promise<void> {
    try {
      await this.prisma.client.externalIdentity.create({ data: { provider, subject, email, userId } });
    } catch (err) {
      // Two callbacks of one person raced: the first link stands.
      if (!uniqueViolation(err)) throw err;
    }
  }

  async createUser(provider: string, subject: string, data: { email: string; displayName: string }): Promise<UserRecord> {
    try {
      return await this.prisma.client.user.create({
        data: { email: data.email, displayName: data.displayName, identities: { create: { provider, subject, email: data.email } } },
      });
    } catch (err) {
      if (uniqueViolation(err)) throw new EmailTakenError();
      throw err;
    }
  }
}
