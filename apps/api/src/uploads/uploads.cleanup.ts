import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { UploadsSweep } from './uploads.sweep.js';

/** Removes abandoned uploads at start-up and every UPLOAD_CLEANUP_INTERVAL_SEC (each API copy; idempotent). */
@Injectable()
export class UploadsCleanup implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly sweep: UploadsSweep,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.run();
    this.timer = setInterval(() => this.run(), this.config.uploadCleanupIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private run(): void {
    if (this.running) return;
    this.running = this.sweep
      .run()
      .catch((err: unknown) => this.logger.error({ err }, 'upload cleanup failed'))
      .finally(() => (this.running = undefined));
  }
}
