import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Logger } from 'pino';
import { roomIdSchema, type MediaView } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { SessionAuthenticator } from '../auth/session-authenticator.js';
import type { AuthContext } from '../auth/auth.types.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { MediaIntake } from '../media/media-intake.js';
import { cleanOriginalName } from '../media/media.mapper.js';
import { UploadsRepository, type UploadRecord } from './uploads.repository.js';

/** The only Upload-Metadata keys kept; anything else a client sends (`path`, `stagingKey`, ...) is dropped. */
export const ALLOWED_METADATA = ['roomId', 'filename', 'filetype'] as const;
export type UploadMetadata = Partial<Record<(typeof ALLOWED_METADATA)[number], string>>;

const FILETYPE = /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/;

/**
 * The rules of resumable uploads, without the tus plumbing: who may create one (signed in, room member,
 * declared size within MAX_UPLOAD_BYTES and the quota), who may touch one (its uploader only, while still
 * a member of the open room), and what happens when one completes (it becomes a Media row through the same path as a multipart upload).
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly uploads: UploadsRepository,
    private readonly auth: SessionAuthenticator,
    private readonly access: RoomAccessPolicy,
    private readonly media: MediaIntake,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  authenticate(token: string | undefined): Promise<AuthContext | null> {
    return this.auth.authenticate(token);
  }

  /** The upload, if it exists and belongs to this user; otherwise null (callers answer 404 either way). */
  async findOwned(userId: string, id: string): Promise<UploadRecord | null> {
    const row = await this.uploads.findById(id);
    return row && row.userId === userId ? row : null;
  }

  /**
   * Checks a tus creation request and records the upload. Returns the metadata to store: only the
   * allow-listed keys, cleaned.
   */
  async create(
    userId: string,
    id: string,
    size: number | undefined,
    raw: Record<string, string | null> | undefined,
  ): Promise<UploadMetadata> {
    if (size === undefined) throw new BadRequestException('Send Upload-Length: uploads of unknown length are not supported.');
    if (size === 0) throw new BadRequestException('This file is empty.');
    const meta = raw ?? {};
    const dropped = Object.keys(meta).filter((k) => !(ALLOWED_METADATA as readonly string[]).includes(k));
    if (dropped.length) this.logger.warn({ uploadId: id, userId, dropped }, 'upload metadata keys dropped');

    const roomId = meta.roomId ?? '';
    if (!roomId) throw new BadRequestException('Say which room this upload is for (Upload-Metadata "roomId").');
    if (!roomIdSchema.safeParse(roomId).success) throw new NotFoundException('This room does not exist.');
    await this.access.require(userId, roomId, 'take-part');

    const filename = cleanOriginalName(meta.filename ?? '') || 'upload';
    const kept: UploadMetadata = { roomId, filename };
    if (meta.filetype && FILETYPE.test(meta.filetype)) kept.filetype = meta.filetype;

    // The quota check and the Upload row are one step (parallel creations cannot pass the quota together).
    await this.media.reserve({ id, userId, roomId, sizeBytes: size, filename });
    this.logger.info({ uploadId: id, userId, roomId, bytes: size }, 'resumable upload created');
    return kept;
  }

  /**
   * May the uploader still send bytes to this upload's room? A ban, a kick or a close since the upload was
   * created refuses the next PATCH (the refusal thrown, 403 or 410), not only the completion.
   */
  async assertMayContinue(upload: UploadRecord): Promise<void> {
    await this.access.require(upload.userId, upload.roomId, 'take-part');
  }

  /** Forgets an upload refused half-way (its files are removed by the caller). */
  async discard(id: string): Promise<void> {
    await this.media.release(id);
  }

  /**
   * The last byte arrived: hand the file to media (MediaService: membership re-checked, the upload's
   * reservation claimed so exactly one finisher proceeds, sniff, Media row, rename under the media id,
   * transcode job). The row stays, finished and pointing at its media, so a client resuming a completed
   * upload learns its offset and media (HEAD) until it expires. A refused file (403, 410, 415) is deleted
   * by acceptFile, with its row.
   */
  async finish(upload: UploadRecord, key: string): Promise<MediaView> {
    try {
      const view = await this.media.acceptFile(upload.userId, upload.roomId, {
        key,
        size: Number(upload.sizeBytes),
        originalname: upload.filename,
        reservationId: upload.id,
      });
      this.logger.info({ uploadId: upload.id, mediaId: view.id, roomId: upload.roomId }, 'resumable upload finished');
      return view;
    } catch (err) {
      this.logger.info(
        { uploadId: upload.id, roomId: upload.roomId, err: err instanceof Error ? err.message : err },
        'resumable upload refused',
      );
      throw err;
    }
  }

  async terminated(id: string): Promise<void> {
    await this.uploads.delete(id);
    this.logger.info({ uploadId: id }, 'resumable upload terminated');
  }

  /** Deletes the rows of expired uploads (UploadsSweep removes their files). */
  async deleteExpired(now = new Date()): Promise<string[]> {
    return this.uploads.deleteExpired(now);
  }
}
