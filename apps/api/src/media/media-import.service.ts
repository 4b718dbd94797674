import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import type { Logger } from 'pino';
import { IMPORT_LINK_KINDS, IMPORT_LINK_KINDS_YTDLP, type ImportOptions, type MediaView } from '@reelroom/contracts';
import { FetchError } from '@reelroom/fetch/messages';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ImportQueue } from '../queue/import.queue.js';
import { ImportReservations } from './import-reservations.js';
import { refusedLink } from './import-errors.js';
import { ImportRestarter } from './import-restarter.js';
import { LinkChecker } from './link-checker.js';
import { MediaRepository, type MediaRecord } from './media.repository.js';
import { cleanOriginalName, toMediaView } from './media.mapper.js';

/** A name for the list until the file has one: the link's last path segment, else its host. */
export function nameFromLink(link: string): string {
  try {
    const url = new URL(link);
    const last = url.pathname.split('/').filter(Boolean).pop();
    let name = url.hostname;
    if (last) {
      try {
        name = decodeURIComponent(last);
      } catch {
        name = last;
      }
    }
    return cleanOriginalName(name);
  } catch {
    return 'link';
  }
}

/**
 * Add a video by link (issue 13). The request path does what needs no download: the link's policy and
 * every address its name resolves to (refused: 400/422 with the fetcher's sentence), the quota
 * reservation (413), the `importing` row and the import job. The import worker fetches it through
 * @reelroom/fetch into `<id>/source`, checks the bytes like an upload and queues the usual transcode.
 * Membership (take-part) and the guest refusal are RoomMemberGuard's, before this runs.
 */
@Injectable()
export class MediaImportService implements ImportRestarter {
  constructor(
    private readonly links: LinkChecker,
    private readonly reservations: ImportReservations,
    private readonly media: MediaRepository,
    private readonly queue: ImportQueue,
    private readonly broadcast: RoomBroadcaster,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'maxUploadBytes' | 'userQuotaBytes' | 'import'>,
  ) {}

  /** yt-dlp is the transcoder's to run; the API trusts the same setting (both read IMPORT_YTDLP). */
  options(): ImportOptions {
    const ytdlp = this.config.import.ytdlp.enabled;
    return { ytdlp, linkKinds: ytdlp ? `${IMPORT_LINK_KINDS} ${IMPORT_LINK_KINDS_YTDLP}` : IMPORT_LINK_KINDS };
  }

  async importLink(userId: string, roomId: string, link: string): Promise<MediaView> {
    await this.checkLink(link, { roomId, userId });
    const id = randomUUID();
    const reservation = await this.reservations.reserve({
      id,
      roomId,
      uploaderId: userId,
      originalName: nameFromLink(link),
      sourceUrl: link,
      maxUploadBytes: this.config.maxUploadBytes,
      quotaBytes: this.config.userQuotaBytes,
    });
    if (!reservation) throw new PayloadTooLargeException('Your storage quota is full. Delete some videos first.');
    try {
      // A fresh id: no earlier try can be running under it.
      await this.queue.enqueue({ mediaId: id, roomId, maxBytes: reservation.reservedBytes, limitReason: reservation.limitReason });
    } catch (err) {
      this.logger.error({ err, mediaId: id }, 'could not queue import');
      await this.media.delete(id);
      throw new ServiceUnavailableException('The import queue is unavailable right now. Please try again in a minute.');
    }
    const view = toMediaView(reservation.row);
    this.logger.info({ mediaId: id, roomId, userId, reservedBytes: reservation.reservedBytes }, 'import queued');
    this.broadcast.toRoom(roomId, 'media:updated', view);
    return view;
  }

  /**
   * Retry (MediaService checked who may): the link is checked again (the policy or DNS may have
   * changed), the quota reserved again, and the import queued again under the same media id.
   */
  async restart(m: MediaRecord): Promise<MediaView> {
    if (m.sourceUrl === null) throw new ConflictException('Only a failed video can be retried.');
    await this.checkLink(m.sourceUrl, { roomId: m.roomId, userId: m.uploaderId, mediaId: m.id });
    const reservation = await this.reservations.reserveAgain({
      id: m.id,
      uploaderId: m.uploaderId,
      maxUploadBytes: this.config.maxUploadBytes,
      quotaBytes: this.config.userQuotaBytes,
    });
    if (!reservation) {
      const current = await this.media.findById(m.id);
      if (current?.status !== 'failed') throw new ConflictException('Only a failed video can be retried.');
      throw new PayloadTooLargeException("The uploader's storage quota is full. Delete some videos first.");
    }
    let queued: boolean;
    try {
      queued = await this.queue.enqueue({
        mediaId: m.id,
        roomId: m.roomId,
        maxBytes: reservation.reservedBytes,
        limitReason: reservation.limitReason,
      });
    } catch (err) {
      this.logger.error({ err, mediaId: m.id }, 'could not queue import');
      await this.reservations.release(m.id, m.error ?? 'The import failed.');
      throw new ServiceUnavailableException('The import queue is unavailable right now. Please try again in a minute.');
    }
    if (!queued) {
      // The cancelled try has not stopped yet; BullMQ would ignore a second job under its id.
      await this.reservations.release(m.id, m.error ?? 'The import failed.');
      throw new ConflictException('The previous attempt is still stopping. Try again in a few seconds.');
    }
    const view = toMediaView(reservation.row);
    this.logger.info({ mediaId: m.id, roomId: m.roomId, reservedBytes: reservation.reservedBytes }, 'import queued again');
    this.broadcast.toRoom(m.roomId, 'media:updated', view);
    return view;
  }

  private async checkLink(link: string, ids: { roomId: string; userId: string; mediaId?: string }): Promise<void> {
    try {
      await this.links.check(link);
    } catch (err) {
      if (err instanceof FetchError) {
        this.logger.info({ ...ids, code: err.code, detail: err.detail }, 'import link refused');
        throw refusedLink(err);
      }
      throw err;
    }
  }
}
