import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { RedisLockBackend } from './lock-backend.js';
import { RedisLocker } from './redis-locker.js';

/**
 * The tus locker shared by every API process: RedisLocker over two connections, one for commands (fail
 * fast: an upload request must not hang on a dead Redis) and one subscribed to release requests.
 */
@Injectable()
export class UploadLocks implements OnModuleInit {
  readonly locker: RedisLocker;
  private readonly backend: RedisLockBackend;

  constructor(connections: RedisConnections, @Inject(LOGGER) logger: Logger) {
    this.backend = new RedisLockBackend(
      connections.connection('upload-lock', 'fail-fast'),
      connections.connection('upload-lock-events', 'subscriber'),
      connections.prefix,
    );
    this.locker = new RedisLocker(this.backend, { onLockLost: (id) => logger.warn({ uploadId: id }, 'upload lock lost before release') });
  }

  /** Subscribes before the first request: a release request published earlier would be missed. */
  async onModuleInit(): Promise<void> {
    await this.backend.start();
  }
}
