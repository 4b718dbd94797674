import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { LIVE_QUEUE, liveProgressSchema } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { MediaService } from '../media/media.service.js';
import { PlaybackService } from '../playback/playback.service.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { LiveService } from './live.service.js';

/**
 * The live queue's doorbell. The transcoder writes the live's state (live, replay) to the database and
 * rings through BullMQ; every API process re-reads and tells its own sockets (scope `local`). Job id = live id.
 * The room's playback follows (issue 8): an idle room goes to a live that went on air, and a room still
 * on a live that ended goes to its recording (PlaybackService, conditional: one process of all wins).
 */
@Injectable()
export class LiveEventsListener implements OnModuleInit, OnModuleDestroy {
  private events?: QueueEvents;

  constructor(
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly live: LiveService,
    private readonly media: MediaService,
    private readonly playback: PlaybackService,
  ) {}

  onModuleInit() {
    this.events = new QueueEvents(LIVE_QUEUE, {
      connection: this.connections.connection('queue-events', 'blocking'),
      prefix: this.connections.prefix,
    });
    this.events.on('error', (err) => this.logger.warn({ err: err.message }, 'live queue events error'));
    this.events.on('progress', ({ data }) => {
      const p = liveProgressSchema.safeParse(data);
      if (!p.success || !p.data.stateChanged) return;
      const { roomId, liveId } = p.data;
      this.safely(async () => {
        await this.live.transcoderChanged(roomId, liveId);
        await this.playback.liveOnAir(roomId, liveId);
      }, liveId);
    });
    // The replay is written (media row + replayMediaId) before the job completes.
    this.events.on('completed', ({ jobId }) => {
      this.safely(async () => {
        const view = await this.media.broadcastCurrent(jobId, 'local').catch(() => null);
        if (!view) return;
        await this.live.announce(view.roomId, 'local');
        // The replay is the media item with the live's id.
        if (view.playable) await this.playback.liveReplayReady(view.roomId, jobId, view.id);
      }, jobId);
    });
    this.events.on('failed', ({ jobId }) => this.safely(() => this.live.transcodeFailed(jobId), jobId));
  }

  private safely(run: () => Promise<unknown>, liveId: string) {
    run().catch((err: unknown) =>
      this.logger.warn({ err: err instanceof Error ? err.message : String(err), liveId }, 'live event relay failed'),
    );
  }

  async onModuleDestroy() {
    await this.events?.close();
  }
}
