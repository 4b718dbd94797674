import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { cancelChannel, mediaIdSchema } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RunningJobs } from './running-jobs.js';

/**
 * Listens for the API's cancel requests (a media id on a Redis channel) and aborts the matching job if
 * it runs here. Every worker receives every message; only the one running the job acts.
 */
@Injectable()
export class CancelListener implements OnModuleInit, OnApplicationShutdown {
  private subscriber?: Redis;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly running: RunningJobs,
  ) {}

  async onModuleInit() {
    const channel = cancelChannel(this.config.queuePrefix);
    this.subscriber = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null, connectionName: 'reelroom-transcoder-cancel' });
    this.subscriber.on('error', (err) => this.logger.warn({ err: err.message }, 'redis (cancel listener) error'));
    this.subscriber.on('message', (_channel: string, message: string) => {
      if (!mediaIdSchema.safeParse(message).success) return;
      if (this.running.cancel(message)) this.logger.info({ mediaId: message, jobId: message }, 'cancel requested: stopping ffmpeg');
    });
    await this.subscriber.subscribe(channel);
  }

  onApplicationShutdown() {
    this.subscriber?.disconnect();
  }
}
