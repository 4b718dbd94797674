import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { jobProgressSchema, MEDIA_QUEUE } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { ConversionHoldService } from '../playback/conversion-hold.service.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { MediaService } from './media.service.js';

/**
 * Relays worker activity to rooms. Workers write the durable state (status, progress, renditions) to
 * the database and report progress through BullMQ; this listener turns BullMQ's events into socket
 * events. Job ids are media ids (see jobOptions in contracts).
 */
@Injectable()
export class TranscodeEventsListener implements OnModuleInit, OnModuleDestroy {
  private events?: QueueEvents;

  constructor(
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly media: MediaService,
    private readonly holds: ConversionHoldService,
  ) {}

  onModuleInit() {
    // QueueEvents blocks on Redis (XREAD): BullMQ runs it on its own duplicate of this connection, with
    // the same options, and closes that duplicate itself.
    const connection = this.connections.connection('queue-events', 'blocking');
    this.events = new QueueEvents(MEDIA_QUEUE, { connection, prefix: this.connections.prefix });
    this.events.on('error', (err) => this.logger.warn({ err: err.message }, 'queue events error'));
    this.events.on('progress', ({ data }) => {
      const p = jobProgressSchema.safeParse(data);
      if (!p.success) return;
      if (p.data.stateChanged) this.broadcast(p.data.mediaId);
      else this.media.broadcastProgress(p.data.roomId, p.data.mediaId, p.data.percent, p.data.etaSec ?? null, 'local');
      this.advanced({ mediaId: p.data.mediaId, roomId: p.data.roomId, percent: p.data.percent });
    });
    // completed/failed fire after the worker's last database write, so a re-read sees the outcome.
    for (const name of ['completed', 'failed'] as const) {
      this.events.on(name, ({ jobId }: { jobId: string }) => {
        this.broadcast(jobId);
        // A room held at the converted edge plays on once the video is ready.
        if (name === 'completed') this.advanced({ mediaId: jobId, percent: 100 });
      });
    }
    // A job left the waiting list: everyone behind it moved up one place.
    this.events.on('active', () => {
      this.media.broadcastQueuePositions('local').catch((err) => this.logger.warn({ err }, 'queue position broadcast failed'));
    });
  }

  // Every API process runs this listener, so its broadcasts are local (issue 3: no duplicates with the adapter).
  private broadcast(mediaId: string) {
    // A media deleted meanwhile has nothing to show: NotFound is expected then.
    this.media
      .broadcastCurrent(mediaId, 'local')
      .catch((err: unknown) => this.logger.debug({ err: err instanceof Error ? err.message : String(err), mediaId }, 'broadcast skipped'));
  }

  private advanced(e: { mediaId: string; roomId?: string; percent: number }) {
    this.holds.mediaAdvanced(e).catch((err: unknown) => this.logger.warn({ err, mediaId: e.mediaId }, 'conversion hold check failed'));
  }

  async onModuleDestroy() {
    await this.events?.close();
  }
}
