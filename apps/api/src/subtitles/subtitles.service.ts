import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import {
  lastCueEnd,
  parseSubtitleFile,
  SUBTITLE_MAX_TRACKS,
  SubtitleFormatError,
  toWebVtt,
  type SubtitleUploadFields,
  type SubtitlesView,
  type SubtitleView,
} from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { MediaService } from '../media/media.service.js';
import { MediaStore } from '../storage/media.store.js';
import { mediaKeys } from '../storage/media-keys.js';
import { SubtitlesRepository, type SubtitleRecord } from './subtitles.repository.js';

export const NO_SUCH_SUBTITLE = 'This subtitle track does not exist.';

/**
 * Subtitle tracks of a media (issue 12): upload (SRT or WebVTT, rewritten as our own WebVTT), list,
 * delete, and the track a room suggests. Who may do what follows the media's rules (MediaService):
 * members see the tracks; the uploader, the host and moderators add and remove them; the host and
 * moderators (who steer playback) set the suggestion. Every change is told to the room
 * (`media:subtitles`), so every player reloads the master and sees the tracks.
 */
@Injectable()
export class SubtitlesService {
  constructor(
    private readonly subtitles: SubtitlesRepository,
    private readonly media: MediaService,
    private readonly store: MediaStore,
    private readonly broadcast: RoomBroadcaster,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(userId: string, mediaId: string): Promise<SubtitlesView> {
    const { media } = await this.media.findVisible(userId, mediaId);
    return this.view(media.roomId, media.id);
  }

  /** Parses and rewrites the file, stores the WebVTT, then records the track (under the per-media limit). */
  async upload(userId: string, mediaId: string, fields: SubtitleUploadFields, file: Uint8Array | undefined): Promise<SubtitleView> {
    const media = await this.media.findManageable(userId, mediaId, 'take-part');
    if (!file || file.length === 0) throw new BadRequestException('Choose a subtitle file (SRT or WebVTT) to upload.');
    let vtt: string;
    let cueCount: number;
    let endSec: number;
    try {
      const { cues } = parseSubtitleFile(file);
      vtt = toWebVtt(cues);
      cueCount = cues.length;
      endSec = lastCueEnd(cues);
    } catch (err) {
      if (err instanceof SubtitleFormatError) throw new BadRequestException(err.message);
      throw err;
    }
    const id = randomUUID();
    const key = mediaKeys.subtitle(media.id, id);
    // The file first, then the row: a track in the list always has its file. A refused row removes it.
    await this.store.write(key, Readable.from([Buffer.from(vtt, 'utf8')]));
    const row = await this.subtitles.createUpload(
      { id, mediaId: media.id, label: fields.label, language: fields.language, cueCount, endSec },
      SUBTITLE_MAX_TRACKS,
    );
    if (!row) {
      await this.store.delete(key);
      throw new PayloadTooLargeException(
        `This video already has ${SUBTITLE_MAX_TRACKS} subtitle tracks; delete one before adding another.`,
      );
    }
    this.logger.info({ mediaId: media.id, subtitleId: id, userId, cueCount }, 'subtitle uploaded');
    await this.announce(media.roomId, media.id);
    return toSubtitleView(row);
  }

  async remove(userId: string, mediaId: string, subtitleId: string): Promise<void> {
    const media = await this.media.findManageable(userId, mediaId);
    const row = await this.subtitles.findById(subtitleId);
    if (!row || row.mediaId !== media.id) throw new NotFoundException(NO_SUCH_SUBTITLE);
    if (!(await this.subtitles.delete(row.id))) throw new NotFoundException(NO_SUCH_SUBTITLE);
    await this.store.delete(mediaKeys.subtitle(media.id, row.id));
    this.logger.info({ mediaId: media.id, subtitleId: row.id, userId }, 'subtitle deleted');
    await this.announce(media.roomId, media.id);
  }

  /** The track the room suggests (null: none). Host and moderators only; each person's own choice still wins. */
  async suggest(userId: string, mediaId: string, subtitleId: string | null): Promise<SubtitlesView> {
    const { media, role } = await this.media.findVisible(userId, mediaId, 'take-part');
    if (role !== 'host' && role !== 'moderator') throw new ForbiddenException('Only the host and moderators can suggest a subtitle track.');
    if (subtitleId !== null) {
      const row = await this.subtitles.findById(subtitleId);
      if (!row || row.mediaId !== media.id) throw new NotFoundException(NO_SUCH_SUBTITLE);
    }
    await this.subtitles.setSuggestion(media.roomId, media.id, subtitleId);
    return this.announce(media.roomId, media.id);
  }

  private async view(roomId: string, mediaId: string): Promise<SubtitlesView> {
    const [tracks, suggestedId] = await Promise.all([this.subtitles.listByMedia(mediaId), this.subtitles.suggestion(roomId, mediaId)]);
    return { mediaId, tracks: tracks.map(toSubtitleView), suggestedId };
  }

  private async announce(roomId: string, mediaId: string): Promise<SubtitlesView> {
    const view = await this.view(roomId, mediaId);
    this.broadcast.toRoom(roomId, 'media:subtitles', view);
    return view;
  }
}

export function toSubtitleView(r: SubtitleRecord): SubtitleView {
  return {
    id: r.id,
    mediaId: r.mediaId,
    label: r.label,
    language: r.language,
    origin: r.origin,
    cueCount: r.cueCount,
    createdAt: r.createdAt.toISOString(),
  };
}
