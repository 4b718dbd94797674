import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { JobName, jobOptions, MEDIA_QUEUE, transcodeJobSchema, type TranscodeJob } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';

/** What the import handler needs: hand a fetched file to the usual transcode (faked in its spec). */
export interface TranscodeQueuePort {
  enqueue(job: TranscodeJob): Promise<void>;
}

/**
 * The transcoder's one producer: an import that fetched its file queues the normal transcode job, with
 * the same options (jobOptions) as an upload's, so from there on the two paths are the same.
 */
@Injectable()
export class TranscodeEnqueuer implements TranscodeQueuePort, OnModuleDestroy {
  private queue?: Queue;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly redis: RedisConnections,
  ) {}

  async enqueue(job: TranscodeJob): Promise<void> {
    const data = transcodeJobSchema.parse(job);
    await this.open().add(JobName.Transcode, data, jobOptions(JobName.Transcode, data.mediaId));
  }

  /** Opened on first use: a transcoder that never imports needs no producer connection. */
  private open(): Queue {
    if (!this.queue) {
      this.queue = new Queue(MEDIA_QUEUE, {
        connection: this.redis.open('transcode-producer', 'fail-fast'),
        prefix: this.config.queuePrefix,
      });
      this.queue.on('error', (err) => this.logger.warn({ err: err.message }, 'transcode producer error'));
    }
    return this.queue;
  }

  async onModuleDestroy() {
    await this.queue?.close();
  }
}
