import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { MediaView } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RoomsService } from '../rooms/rooms.service.js';
import { MediaEvents } from './media.events.js';
import { MediaRepository } from './media.repository.js';
import { MediaStorage } from './media-storage.js';
import { TranscodeProducer } from '../queue/transcode.producer.js';
import { cleanOriginalName, toMediaView } from './media.mapper.js';
import { sniff, SNIFF_BYTES } from './file-sniffer.js';

export interface UploadedFile {
  path: string;
  size: number;
  originalname: string;
}

@Injectable()
export class MediaService {
  constructor(
    private readonly media: MediaRepository,
    private readonly storage: MediaStorage,
    private readonly producer: TranscodeProducer,
    private readonly rooms: RoomsService,
    private readonly events: MediaEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Accepts a finished multipart upload: sniff the bytes, create the row, move the file under a
   * server-generated name, queue the transcode. On any failure the temp file is removed and no row
   * or directory is left behind.
   */
  async upload(userId: string, roomId: string, file: UploadedFile | undefined): Promise<MediaView> {
    if (!file) throw new BadRequestException('Attach a video file in the "file" field.');
    let adopted = false;
    const id = randomUUID();
    try {
      const kind = sniff(await this.storage.readHead(file.path, SNIFF_BYTES));
      if (kind.kind === 'empty') throw new UnsupportedMediaTypeException('This file is empty.');
      if (kind.kind === 'audio') throw new UnsupportedMediaTypeException('Audio-only files are not supported yet: upload a video.');
      if (kind.kind === 'unknown') throw new UnsupportedMediaTypeException('This file is not a video we can read (unrecognised format).');

      const row = await this.media.create({ id, roomId, uploaderId: userId, originalName: cleanOriginalName(file.originalname), sizeBytes: file.size });
      await this.storage.adoptUpload(file.path, id);
      adopted = true;
      try {
        await this.producer.enqueue({ mediaId: id, roomId });
      } catch (err) {
        this.logger.error({ err, mediaId: id }, 'could not queue transcode');
        await this.media.delete(id);
        await this.storage.removeMedia(id);
        throw new ServiceUnavailableException('The transcoding queue is unavailable right now. Please try again in a minute.');
      }
      const view = toMediaView(row);
      this.logger.info({ mediaId: id, roomId, userId, bytes: file.size, container: kind.container }, 'media uploaded');
      this.events.mediaUpdated(view);
      return view;
    } finally {
      if (!adopted) await this.storage.discard(file.path);
    }
  }

  async listForRoom(roomId: string): Promise<MediaView[]> {
    return (await this.media.listByRoom(roomId)).map(toMediaView);
  }

  /** A media item is visible to members of its room; others get 404 (its id reveals nothing). */
  async get(userId: string, mediaId: string): Promise<MediaView> {
    const m = await this.media.findById(mediaId);
    if (!m) throw new NotFoundException('This media does not exist.');
    try {
      await this.rooms.requireMember(userId, m.roomId);
    } catch (err) {
      if (err instanceof ForbiddenException) throw new NotFoundException('This media does not exist.');
      throw err;
    }
    return toMediaView(m);
  }

  /** Used by the queue listener: re-read the row and tell the room. */
  async broadcastCurrent(mediaId: string): Promise<void> {
    const m = await this.media.findById(mediaId);
    if (m) this.events.mediaUpdated(toMediaView(m));
  }

  broadcastProgress(roomId: string, mediaId: string, percent: number, etaSec: number | null): void {
    this.events.mediaProgress(roomId, mediaId, Math.round(percent), etaSec);
  }
}
