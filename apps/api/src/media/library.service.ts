import { randomUUID } from 'node:crypto';
import { ConflictException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Logger } from 'pino';
import type { LibraryView, MediaView } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';
import { toLibraryItems, type LibraryRefusal } from './library.js';
import { LibraryRepository } from './library.repository.js';
import { toMediaView } from './media.mapper.js';

const refusalError = (r: LibraryRefusal): HttpException =>
  r.status === 404 ? new NotFoundException(r.message) : new ConflictException(r.message);

/**
 * A library per person (issue 12): the videos I uploaded or imported, across my rooms, and adding one to
 * another room without uploading it again. Adding is uploading as far as the room is concerned (the same
 * rule: a member who may take part, not a guest, checked by RoomMemberGuard and here), and the room hears
 * it as it hears a finished upload (`media:updated`).
 */
@Injectable()
export class LibraryService {
  constructor(
    private readonly library: LibraryRepository,
    private readonly access: RoomAccessPolicy,
    private readonly broadcast: RoomBroadcaster,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(userId: string): Promise<LibraryView> {
    return { items: toLibraryItems(await this.library.listOwned(userId)) };
  }

  async add(userId: string, roomId: string, mediaId: string): Promise<MediaView> {
    await this.access.require(userId, roomId, 'take-part');
    const outcome = await this.library.addCopy({ id: randomUUID(), sourceId: mediaId, roomId, userId });
    if ('refused' in outcome) throw refusalError(outcome.refused);
    const view = toMediaView(outcome.added);
    this.logger.info({ mediaId: view.id, sourceMediaId: mediaId, roomId, userId }, 'media added from library');
    this.broadcast.toRoom(roomId, 'media:updated', view);
    return view;
  }
}
