import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { cancelChannel, mediaIdSchema } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { RunningJobs } from './running-jobs.js';

/**
 * Listens for the API's cancel requests (a media id on a Redis channel) and aborts the matching job if
 * it runs here. Every worker receives every message; only the one running the job acts. The connection
 * stays open while the worker drains at shutdown (a cancel may still come), and RedisConnections closes it.
 */
@Injectable()
export class CancelListener implements OnModuleInit {
  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly running: RunningJobs,
    private readonly redis: RedisConnections,
  ) {}

  async onModuleInit() {
    const subscriber = this.redis.open('cancel-listener', 'subscriber');
    subscriber.on('message', (_channel: string, message: string) => {
      if (!mediaIdSchema.safeParse(message).success) return;
      if (this.running.cancel(message)) this.logger.info({ mediaId: message, jobId: message }, 'cancel requested: stopping ffmpeg');
    });
    await subscriber.subscribe(cancelChannel(this.config.queuePrefix));
  }
}
