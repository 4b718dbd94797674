import { Injectable } from '@nestjs/common';
import { Prisma } from '@reelroom/db';
import { PrismaService } from '../prisma/prisma.service.js';
import type { UserRecord } from './auth.types.js';
import { EmailTakenError, UsersRepository } from './users.repository.js';

@Injectable()
export class PrismaUsersRepository extends UsersRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async create(data: { email: string; passwordHash: string; displayName: string }): Promise<UserRecord> {
    try {
      return await this.prisma.client.user.create({ data });
    } catch (err) {
      // The unique index is the arbiter: two concurrent sign-ups with one email cannot both win.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw new EmailTakenError();
      throw err;
    }
  }

  createGuest(displayName: string): Promise<UserRecord> {
    return this.prisma.client.user.create({ data: { displayName, isGuest: true } });
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.client.user.findUnique({ where: { email } });
  }
}
