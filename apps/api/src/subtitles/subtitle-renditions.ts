import { Injectable } from '@nestjs/common';
import { MediaRepository } from '../media/media.repository.js';
import { subtitleMediaPlaylist, withSubtitleRenditions } from './subtitle-playlists.js';
import { SubtitlesRepository } from './subtitles.repository.js';

/**
 * The HLS side of subtitles, for the HLS controller (which has already checked that the reader may read
 * the media): the served master with the current tracks, and each track's media playlist. Both are
 * made on request from the rows, so adding or deleting a track changes the next master a player loads,
 * with nothing rewritten in the store (see withSubtitleRenditions for why).
 */
@Injectable()
export class SubtitleRenditions {
  constructor(
    private readonly subtitles: SubtitlesRepository,
    private readonly media: MediaRepository,
  ) {}

  async master(mediaId: string, master: string): Promise<string> {
    return withSubtitleRenditions(master, await this.subtitles.listByMedia(mediaId));
  }

  /** null when the media has no such track. */
  async mediaPlaylist(mediaId: string, subtitleId: string): Promise<string | null> {
    const row = await this.subtitles.findById(subtitleId);
    if (!row || row.mediaId !== mediaId) return null;
    const media = await this.media.findById(mediaId);
    return subtitleMediaPlaylist(row.id, Math.max(media?.durationSec ?? 0, row.endSec));
  }
}
