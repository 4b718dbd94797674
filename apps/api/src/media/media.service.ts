import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { MediaView, RoomRole } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster, type BroadcastScope } from '../common/ports/room-broadcaster.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RoomAccessPolicy, type RoomNeed } from '../rooms/room-access.policy.js';
import { TranscodeQueue } from '../queue/transcode.queue.js';
import { ImportQueue } from '../queue/import.queue.js';
import { ImportRestarter } from './import-restarter.js';
import { MediaStore } from '../storage/media.store.js';
import { mediaKeys } from '../storage/media-keys.js';
import { MediaRepository, type MediaRecord } from './media.repository.js';
import type { MediaIntake, StagedFile, UploadReservationRequest } from './media-intake.js';
import { UploadReservations } from './upload-reservations.js';
import { cleanOriginalName, toMediaView } from './media.mapper.js';
import { sniff, SNIFF_BYTES } from './file-sniffer.js';
import { foldersToDelete } from './library.js';

/** A multipart upload as multer stored it in the `incoming` staging area. */
export interface UploadedFile {
  /** Its name in the staging area (server-generated, random). */
  filename: string;
  size: number;
  originalname: string;
}

const NOT_AN_UPLOAD = 'This upload does not exist.';

@Injectable()
export class MediaService implements MediaIntake {
  constructor(
    private readonly media: MediaRepository,
    private readonly store: MediaStore,
    private readonly producer: TranscodeQueue,
    private readonly access: RoomAccessPolicy,
    private readonly broadcast: RoomBroadcaster,
    private readonly reservations: UploadReservations,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'userQuotaBytes' | 'uploadExpiryMs'>,
    // Imports by link (issue 13): cancel and delete also stop a waiting import. Optional so fakes in specs
    // need not pass them.
    @Optional() private readonly imports?: ImportQueue,
    @Optional() private readonly importRestarter?: ImportRestarter,
  ) {}

  /** The plain multipart path: the file arrived in full through multer, under the request's reservation. */
  async upload(userId: string, roomId: string, file: UploadedFile | undefined, reservationId: string): Promise<MediaView> {
    if (!file) throw new BadRequestException('Attach a video file in the "file" field.');
    return this.acceptFile(userId, roomId, {
      key: mediaKeys.staged('incoming', file.filename),
      size: file.size,
      originalname: file.originalname,
      reservationId,
    });
  }

  /**
   * Holds the upload's size against USER_QUOTA_BYTES before its first byte (their media plus their
   * unfinished, unexpired uploads, multipart ones in flight included): one atomic step, 413 when it does
   * not fit. The reservation lasts until the upload becomes media, is released, or expires.
   */
  async reserve(r: UploadReservationRequest): Promise<void> {
    const limit = this.config.userQuotaBytes;
    const expiresAt = new Date(Date.now() + this.config.uploadExpiryMs);
    const outcome = await this.reservations.reserve({ ...r, expiresAt }, limit);
    if (!outcome.reserved) {
      const gb = (n: number) => `${(n / 1024 ** 3).toFixed(n < 1024 ** 3 ? 2 : 1)} GB`;
      throw new PayloadTooLargeException(
        `This upload would exceed your storage quota (${gb(outcome.usedBytes)} of ${gb(limit)} used). Delete some videos first.`,
      );
    }
  }

  release(reservationId: string): Promise<void> {
    return this.reservations.release(reservationId);
  }

  /**
   * Accepts a finished upload, multipart or tus: claim its reservation (exactly one finisher), re-check that
   * the uploader may still take part in the room (a ban, kick or close during the upload refuses it), sniff
   * the bytes, create the row (the reservation ends in the same transaction), move the file under a
   * server-generated name, queue the transcode. On any failure the file and the reservation are removed and
   * no row or directory is left behind. The quota was checked when the reservation was made.
   */
  async acceptFile(userId: string, roomId: string, file: StagedFile): Promise<MediaView> {
    const id = randomUUID();
    // Someone else finishing the same upload owns its file and reservation: touch neither.
    if (!(await this.reservations.claim(file.reservationId, id))) throw new NotFoundException(NOT_AN_UPLOAD);
    let adopted = false;
    try {
      await this.access.require(userId, roomId, 'take-part');
      const kind = sniff(await this.store.readHead(file.key, SNIFF_BYTES));
      if (kind.kind === 'empty') throw new UnsupportedMediaTypeException('This file is empty.');
      // kind === 'audio' is accepted: the transcoder makes audio-only uploads an audio HLS stream with a poster.
      if (kind.kind === 'unknown') throw new UnsupportedMediaTypeException('This file is not a video we can read (unrecognised format).');

      const row = await this.media.create(
        { id, roomId, uploaderId: userId, originalName: cleanOriginalName(file.originalname), sizeBytes: file.size },
        file.reservationId,
      );
      // Same filesystem for local storage: an atomic rename under the server-generated name.
      await this.store.move(file.key, mediaKeys.source(id));
      adopted = true;
      try {
        await this.producer.enqueue({ mediaId: id, roomId });
      } catch (err) {
        this.logger.error({ err, mediaId: id }, 'could not queue transcode');
        await this.media.delete(id);
        await this.store.deletePrefix(mediaKeys.folder(id));
        throw new ServiceUnavailableException('The transcoding queue is unavailable right now. Please try again in a minute.');
      }
      const view = await this.view(row);
      this.logger.info({ mediaId: id, roomId, userId, bytes: file.size, container: kind.container }, 'media uploaded');
      this.broadcast.toRoom(roomId, 'media:updated', view);
      return view;
    } finally {
      if (!adopted) {
        await this.store.delete(file.key);
        await this.reservations.release(file.reservationId);
      }
    }
  }

  async listForRoom(roomId: string): Promise<MediaView[]> {
    const rows = await this.media.listByRoom(roomId);
    const positions = rows.some((m) => m.status === 'queued') ? await this.positionsOrEmpty() : new Map<string, number>();
    return rows.map((m) => toMediaView(m, positions.get(m.id) ?? null));
  }

  /** A media item is visible to members of its room; others get 404 (its id reveals nothing). */
  async get(userId: string, mediaId: string): Promise<MediaView> {
    const { media: m } = await this.findVisible(userId, mediaId);
    return this.view(m);
  }

  /** Failed media can be queued again by its uploader or the room's host or moderators. */
  async retry(userId: string, mediaId: string): Promise<MediaView> {
    // Transcoding again is taking part: not in a closed room.
    const m = await this.findManageable(userId, mediaId, 'take-part');
    return this.retryFound(userId, m);
  }

  /**
   * An administrator retries a failed job from the admin console (issue 10): the same path as the
   * uploader's retry (the row back to queued, then the job), without the room rules: operators are not
   * members of every room. The caller (AdminGuard) has checked who they are.
   */
  async retryAsAdmin(adminId: string, mediaId: string): Promise<MediaView> {
    const m = await this.media.findById(mediaId);
    if (!m) throw new NotFoundException('This media does not exist.');
    return this.retryFound(adminId, m);
  }

  private async retryFound(userId: string, m: MediaRecord): Promise<MediaView> {
    // An import that failed before its file arrived has nothing to transcode: fetch the link again.
    if (m.status === 'failed' && m.sourceUrl !== null && !(await this.store.stat(mediaKeys.source(m.id)))) {
      if (!this.importRestarter) throw new ConflictException('This link could not be fetched. Add it again to try once more.');
      return this.importRestarter.restart(m);
    }
    if (m.status !== 'failed' || !(await this.media.resetForRetry(m.id))) {
      throw new ConflictException('Only a failed video can be retried.');
    }
    try {
      await this.producer.requeue({ mediaId: m.id, roomId: m.roomId });
    } catch (err) {
      this.logger.error({ err, mediaId: m.id }, 'could not requeue transcode');
      await this.media.markFailed(m.id, m.error ?? 'Transcoding failed.');
      throw new ServiceUnavailableException('The transcoding queue is unavailable right now. Please try again in a minute.');
    }
    this.logger.info({ mediaId: m.id, userId }, 'media retried');
    return this.broadcastCurrent(m.id);
  }

  /** Stops a queued or running transcode (ffmpeg is killed); the media ends failed and can be retried. */
  async cancel(userId: string, mediaId: string, byName: string): Promise<MediaView> {
    const m = await this.findManageable(userId, mediaId);
    if (!(await this.media.cancel(m.id, `Cancelled by ${byName}.`))) {
      throw new ConflictException('Only a video that is importing, queued or processing can be cancelled.');
    }
    await this.stopJob(m.id);
    this.logger.info({ mediaId: m.id, userId }, 'media cancelled');
    return this.broadcastCurrent(m.id);
  }

  /**
   * An administrator stops a queued or running transcode or import from the admin console (issue 10):
   * the uploader's cancel without the room rules. The media ends failed ("Cancelled by an administrator.")
   * and can be retried.
   */
  async cancelAsAdmin(adminId: string, mediaId: string): Promise<MediaView> {
    const m = await this.media.findById(mediaId);
    if (!m) throw new NotFoundException('This media does not exist.');
    if (!(await this.media.cancel(m.id, 'Cancelled by an administrator.'))) {
      throw new ConflictException('Only a video that is importing, queued or processing can be cancelled.');
    }
    await this.stopJob(m.id);
    this.logger.info({ mediaId: m.id, userId: adminId }, 'media cancelled by an administrator');
    return this.broadcastCurrent(m.id);
  }

  /**
   * A job BullMQ gave up on without its handler's last word (its workers died mid-job more often than
   * the stall limit allows): nothing wrote an outcome, so the media would show "converting" for ever.
   * Ends it with `reason` unless it already finished; every API process may call this, one write wins.
   */
  async failAbandoned(mediaId: string, reason: string): Promise<boolean> {
    const ended = await this.media.cancel(mediaId, reason);
    if (ended) this.logger.warn({ mediaId, reason }, 'media failed: its job was abandoned by its workers');
    return ended;
  }

  /**
   * Deletes the media from its room, and any queued or running job. Its files go with the last room that
   * has it (library copies in other rooms share them, issue 12): deleting it in one room never takes
   * them from another.
   */
  async remove(userId: string, mediaId: string): Promise<void> {
    const m = await this.findManageable(userId, mediaId);
    const released = await this.media.deleteAndRelease(m.id);
    await this.stopJob(m.id);
    // The row is gone: for everyone the media is deleted now, whatever happens to the files next.
    this.logger.info({ mediaId: m.id, userId, filesReleased: released?.last ?? false }, 'media deleted');
    this.broadcast.toRoom(m.roomId, 'media:deleted', { mediaId: m.id });
    try {
      // A running ffmpeg may still be writing segments until the cancel reaches it; the store retries
      // a folder that refills, and the worker removes the folder itself when it sees the row is gone.
      for (const folder of foldersToDelete(m, released?.last ?? false)) await this.store.deletePrefix(mediaKeys.folder(folder));
    } catch (err) {
      this.logger.warn({ err, mediaId: m.id }, 'media files not fully removed; the worker finishes the clean-up');
    }
  }

  /** Used by the queue listener: re-read the row and tell the room. */
  async broadcastCurrent(mediaId: string, scope: BroadcastScope = 'cluster'): Promise<MediaView> {
    const m = await this.media.findById(mediaId);
    if (!m) throw new NotFoundException('This media does not exist.');
    const view = await this.view(m);
    this.broadcast.toRoom(view.roomId, 'media:updated', view, scope);
    return view;
  }

  /** The queue moved: tell each waiting item's room its new position. */
  async broadcastQueuePositions(scope: BroadcastScope = 'cluster'): Promise<void> {
    const positions = await this.positionsOrEmpty();
    for (const [mediaId, position] of positions) {
      const m = await this.media.findById(mediaId);
      if (m?.status === 'queued') this.broadcast.toRoom(m.roomId, 'media:updated', toMediaView(m, position), scope);
    }
  }

  private async view(m: MediaRecord): Promise<MediaView> {
    if (m.status !== 'queued') return toMediaView(m);
    return toMediaView(m, (await this.positionsOrEmpty()).get(m.id) ?? null);
  }

  /** Queue positions are a nicety: when Redis does not answer, show none rather than fail the request. */
  private async positionsOrEmpty(): Promise<Map<string, number>> {
    try {
      return await this.producer.waitingPositions();
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : err }, 'could not read queue positions');
      return new Map();
    }
  }

  /** Removes a waiting job (transcode or import), or asks the worker running it to stop. */
  private async stopJob(mediaId: string): Promise<void> {
    try {
      const transcodeRemoved = await this.producer.remove(mediaId);
      const importRemoved = (await this.imports?.remove(mediaId)) ?? true;
      if (!transcodeRemoved || !importRemoved) await this.producer.requestCancel(mediaId);
    } catch (err) {
      // The row already says failed/deleted; a worker that still picks the job up skips it (its state
      // guards), so a Redis hiccup here costs CPU, not correctness.
      this.logger.warn({ err, mediaId }, 'could not stop the transcode job');
      // A chunked transcode (issue 11) parks its job while its chunks run on several workers, and BullMQ
      // refuses to remove a parent with a running child: the cancel message stops every chunk's ffmpeg.
      await this.producer.requestCancel(mediaId).catch((e: unknown) => this.logger.warn({ err: e, mediaId }, 'could not send the cancel'));
    }
  }

  /**
   * Members of the media's room see it (closed rooms too, so people can still tidy up and free quota).
   * Public: subtitles use the same rules (SubtitlesService).
   */
  async findVisible(userId: string, mediaId: string, need: RoomNeed = 'see'): Promise<{ media: MediaRecord; role: RoomRole }> {
    const m = await this.media.findById(mediaId);
    if (!m) throw new NotFoundException('This media does not exist.');
    try {
      return { media: m, role: (await this.access.require(userId, m.roomId, need)).role };
    } catch (err) {
      if (err instanceof ForbiddenException) throw new NotFoundException('This media does not exist.');
      throw err;
    }
  }

  /** The uploader, the host or a moderator may manage a media (cancel, retry, delete, its subtitles). */
  async findManageable(userId: string, mediaId: string, need: RoomNeed = 'see'): Promise<MediaRecord> {
    const { media: m, role } = await this.findVisible(userId, mediaId, need);
    if (m.uploaderId !== userId && role !== 'host' && role !== 'moderator') {
      throw new ForbiddenException('Only the person who uploaded this video, or the room host, can do this.');
    }
    return m;
  }

  /** `bytes`: imports add what they fetched so far and the declared total (null when unknown). */
  broadcastProgress(
    roomId: string,
    mediaId: string,
    percent: number,
    etaSec: number | null,
    scope: BroadcastScope = 'cluster',
    bytes: { bytes?: number; totalBytes?: number | null } = {},
  ): void {
    const extra = bytes.bytes === undefined ? {} : { bytes: bytes.bytes, totalBytes: bytes.totalBytes ?? null };
    this.broadcast.toRoom(roomId, 'media:progress', { mediaId, progress: Math.round(percent), etaSec, ...extra }, scope);
  }
}
