import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@reelroom/db';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** The API's one database connection pool. Repositories use `client`; services never do. */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  readonly client: PrismaClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = createPrismaClient(config.databaseUrl);
  }

  async onModuleDestroy() {
    await this.client.$disconnect();
  }
}
