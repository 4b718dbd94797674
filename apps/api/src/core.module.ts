import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { LOGGER } from './common/logger.js';
import { PrismaService } from './prisma/prisma.service.js';
import { RedisConnections } from './redis/redis-connections.js';
import { ClientAddress } from './common/net/client-address.js';

/** Process-wide singletons every module may inject: config, logger, database, Redis connections, client addresses. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        PrismaService,
        RedisConnections,
        ClientAddress,
      ],
      exports: [APP_CONFIG, LOGGER, PrismaService, RedisConnections, ClientAddress],
    };
  }
}
