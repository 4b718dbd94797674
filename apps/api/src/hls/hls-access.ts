import { Injectable } from '@nestjs/common';
import { LiveRepository } from '../live/live.repository.js';
import { MediaRepository } from '../media/media.repository.js';
import { storageFolderOf } from '../media/library.js';
import { RoomAccessPolicy } from '../rooms/room-access.policy.js';

/**
 * How old a checked yes may be when it is used again, by what is read. Segments: 30 s (a player fetches
 * one every few seconds). Playlists: never (a kick, a ban or a close stops a player at its next reload).
 * LL-HLS blocking reloads: 1 s; a low-latency player reloads each rendition's playlist per part (about 3
 * a second for video and again for audio), which would be two PostgreSQL queries each, so a kick, a ban
 * or a close stops it within a second instead of at its very next reload.
 */
export const ACCESS_MAX_AGE_MS = { segment: 30_000, playlist: 0, blockingReload: 1_000 } as const;

/**
 * Who reads: a signed-in session (cacheKey = its id) or a casting URL (cacheKey = the token), both on
 * behalf of a user whose room access is what is checked.
 */
export interface HlsReader {
  cacheKey: string;
  userId: string;
}
const MAX_ENTRIES = 10_000;

/**
 * "May this session read this media's files?": the room-access policy's answer for taking part in the
 * media's room (a member of an open room). A yes is cached per (session, media) and reused while it is
 * younger than the caller's `maxAgeMs` (ACCESS_MAX_AGE_MS): 30 s for segments, never for playlists, so a
 * kick, a ban or a close stops a player at its next playlist reload (every target duration for a live or
 * growing stream; a finished VOD stream is the one case where segments of an already loaded playlist stay
 * readable for up to 30 s), and 1 s for LL-HLS blocking reloads. A no is never cached. Sign-out takes effect at once:
 * the session is checked on every request. A casting URL reads as its user: a ban or kick of that user
 * stops it the same way; it does not depend on the session (the receiver has none).
 */
@Injectable()
export class HlsAccess {
  private readonly cache = new Map<string, { checkedAt: number; folder: string }>();

  constructor(
    private readonly media: MediaRepository,
    private readonly lives: LiveRepository,
    private readonly access: RoomAccessPolicy,
  ) {}

  async canRead(reader: HlsReader, mediaId: string, options: { maxAgeMs?: number } = {}): Promise<boolean> {
    return (await this.folderFor(reader, mediaId, options)) !== null;
  }

  /**
   * The stored folder this session may read `mediaId`'s files from, or null. A library copy (issue 12)
   * is read through its own row, so the check is membership of the copy's room: a member of only the
   * other room cannot play it here, and a ban here stops it here; its files are the first row's folder.
   */
  async folderFor(
    reader: HlsReader,
    mediaId: string,
    { maxAgeMs = ACCESS_MAX_AGE_MS.segment }: { maxAgeMs?: number } = {},
  ): Promise<string | null> {
    const key = `${reader.cacheKey}:${mediaId}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.checkedAt < maxAgeMs) return cached.folder;
    // A live's files sit under its stream id, which becomes its replay's media id when it ends.
    const media = await this.media.findById(mediaId);
    const roomId = media?.roomId ?? (await this.lives.findByStream(mediaId))?.roomId;
    if (!roomId || !(await this.access.allows(reader.userId, roomId, 'take-part'))) {
      this.cache.delete(key);
      return null;
    }
    const folder = media ? storageFolderOf(media) : mediaId;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { checkedAt: Date.now(), folder });
    return folder;
  }
}
