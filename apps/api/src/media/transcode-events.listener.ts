import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { AUDIO_PART_QUEUE, IMPORT_QUEUE, jobProgressSchema, MEDIA_QUEUE, POISON_JOB_FAILURE, type JobProgress } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { ConversionHoldService } from '../playback/conversion-hold.service.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { MediaService } from './media.service.js';

/** BullMQ's failedReason when a job stalled more often than the worker's maxStalledCount allows. */
const STALL_LIMIT = /stalled more than allowable limit/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** A transcode job's id is its media id; a chunk's is `<mediaId>-<run>-<part>` (issue 11). */
const isMediaJobId = (jobId: string): boolean => jobId.length === 36 && UUID.test(jobId);
const mediaIdOfJob = (jobId: string): string | undefined => UUID.exec(jobId)?.[0];
export const WORKERS_LOST = {
  transcode: 'We could not convert this video: the servers converting it kept stopping. Try again.',
  import: 'We could not fetch this link: the servers fetching it kept stopping. Try again.',
};
/** When the transcoder failed the job as poison: its workers died at the same point of it each time (issue 10). */
export const WORKERS_CRASHED = {
  transcode:
    'We could not convert this video: it stopped our converter at the same point each time. The file may be damaged; try exporting it again.',
  import:
    'We could not fetch this link: it stopped our server at the same point each time. Try downloading the file and uploading it instead.',
};
type AbandonedSentences = typeof WORKERS_LOST;

/**
 * Relays worker activity to rooms. Workers write the durable state (status, progress, renditions) to
 * the database and report progress through BullMQ; this listener turns BullMQ's events into socket
 * events. Job ids are media ids (see jobOptions in contracts).
 */
@Injectable()
export class TranscodeEventsListener implements OnModuleInit, OnModuleDestroy {
  private events?: QueueEvents;
  private importEvents?: QueueEvents;
  /** The audio parts of chunked transcodes (their own queue, issue 11): one may be the part that makes the media playable. */
  private audioEvents?: QueueEvents;

  constructor(
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly media: MediaService,
    private readonly holds: ConversionHoldService,
  ) {}

  /**
   * One queue's event stream with its errors logged. QueueEvents blocks on Redis (XREAD): BullMQ runs it on
   * its own duplicate of this named connection, with the same options, and closes that duplicate itself.
   */
  private queueEvents(queue: string, connectionName: string): QueueEvents {
    const events = new QueueEvents(queue, {
      connection: this.connections.connection(connectionName, 'blocking'),
      prefix: this.connections.prefix,
    });
    events.on('error', (err) => this.logger.warn({ err: err.message, queue }, 'queue events error'));
    return events;
  }

  onModuleInit() {
    this.events = this.queueEvents(MEDIA_QUEUE, 'queue-events');
    this.events.on('progress', ({ data }) => this.transcodeProgress(data));
    // completed/failed fire after the worker's last database write, so a re-read sees the outcome.
    this.events.on('completed', ({ jobId }) => {
      // A chunk of a chunked transcode (issue 11) is not the media's job: its parent (id = media id) is.
      if (!isMediaJobId(jobId)) return;
      this.broadcast(jobId);
      // A room held at the converted edge plays on once the video is ready.
      this.advanced({ mediaId: jobId, percent: 100 });
    });
    // A chunk that failed for good (its workers kept dying, say) fails its media like the media's own job.
    this.events.on('failed', ({ jobId, failedReason }) => this.partFailed(jobId, failedReason));
    // The audio parts' queue: the part that writes the master reports the media playable there, and a
    // part that failed for good fails its media, as on the media queue.
    this.audioEvents = this.queueEvents(AUDIO_PART_QUEUE, 'audio-part-events');
    this.audioEvents.on('progress', ({ data }) => this.transcodeProgress(data));
    this.audioEvents.on('failed', ({ jobId, failedReason }) => this.partFailed(jobId, failedReason));
    // Imports by link (issue 13): their own queue, the same progress path (bytes ride along) and the
    // same re-read of the row when an import ends (queued for its transcode, or failed with a sentence).
    this.importEvents = this.queueEvents(IMPORT_QUEUE, 'import-events');
    this.importEvents.on('progress', ({ data }) => this.relayProgress(data));
    this.importEvents.on('completed', ({ jobId }) => this.broadcast(jobId));
    this.importEvents.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason, 'import'));
    // A job left the waiting list: everyone behind it moved up one place.
    this.events.on('active', () => {
      this.media.broadcastQueuePositions('local').catch((err) => this.logger.warn({ err }, 'queue position broadcast failed'));
    });
  }

  /**
   * A failed job: the handler wrote the outcome, except when its workers kept dying under it: BullMQ's
   * stall limit, or the transcoder failing it as poison before its handler ran. Then nobody did, and this
   * writes it before telling the room.
   */
  private failed(mediaId: string, failedReason: string, kind: keyof AbandonedSentences) {
    const sentence = failedReason.startsWith(POISON_JOB_FAILURE)
      ? WORKERS_CRASHED[kind]
      : STALL_LIMIT.test(failedReason)
        ? WORKERS_LOST[kind]
        : undefined;
    const settle = sentence !== undefined ? this.media.failAbandoned(mediaId, sentence) : Promise.resolve(false);
    settle
      .catch((err: unknown) => this.logger.warn({ err, mediaId }, 'could not record an abandoned job'))
      .finally(() => this.broadcast(mediaId));
  }

  /** A transcode's percent is how much of the video exists: a room playing it may have to wait for it. */
  private transcodeProgress(data: unknown) {
    const p = this.relayProgress(data);
    if (p) this.advanced({ mediaId: p.mediaId, roomId: p.roomId, percent: p.percent });
  }

  /** A transcode job or one of its parts failed (the id names the media). */
  private partFailed(jobId: string, failedReason: string) {
    const mediaId = mediaIdOfJob(jobId);
    if (mediaId) this.failed(mediaId, failedReason, 'transcode');
  }

  /** Relays a job's progress report to its room; the report, when valid. */
  private relayProgress(data: unknown): JobProgress | undefined {
    const p = jobProgressSchema.safeParse(data);
    if (!p.success) return undefined;
    if (p.data.stateChanged) this.broadcast(p.data.mediaId);
    else
      this.media.broadcastProgress(p.data.roomId, p.data.mediaId, p.data.percent, p.data.etaSec ?? null, 'local', {
        bytes: p.data.bytes,
        totalBytes: p.data.totalBytes,
      });
    return p.data;
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
    await Promise.all([this.events?.close(), this.importEvents?.close(), this.audioEvents?.close()]);
  }
}
