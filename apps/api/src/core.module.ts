import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { LOGGER } from './common/logger.js';
import { PrismaService } from './prisma/prisma.service.js';
import { RedisConnections } from './redis/redis-connections.js';
import { ClientAddress } from './common/net/client-address.js';
import { AttemptLimiter } from './common/rate-limit/attempt-limiter.js';
import { RedisAttemptLimiter } from './redis/redis-attempt-limiter.js';

/**
 * Process-wide singletons every module may inject: config, logger, database, Redis connections, the
 * client-address rule (TRUST_PROXY) and the attempt limiter.
 */
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
        { provide: ClientAddress, useFactory: (c: AppConfig) => new ClientAddress(c.trustProxy), inject: [APP_CONFIG] },
        { provide: AttemptLimiter, useClass: RedisAttemptLimiter },
      ],
      exports: [APP_CONFIG, LOGGER, PrismaService, RedisConnections, ClientAddress, AttemptLimiter],
    };
  }
}
