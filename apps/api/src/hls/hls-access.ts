import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/auth.types.js';
import { MediaRepository } from '../media/media.repository.js';
import { RoomsService } from '../rooms/rooms.service.js';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * "May this session read this media's files?" A player fetches a segment every few seconds, so the
 * answer is cached per (session, media) for 30 s rather than costing two queries per segment.
 * Sign-out still takes effect at once: AuthGuard checks the session on every request.
 */
@Injectable()
export class HlsAccess {
  private readonly cache = new Map<string, number>();

  constructor(private readonly media: MediaRepository, private readonly rooms: RoomsService) {}

  async canRead(ctx: AuthContext, mediaId: string): Promise<boolean> {
    const key = `${ctx.sessionId}:${mediaId}`;
    const until = this.cache.get(key);
    if (until && until > Date.now()) return true;
    const m = await this.media.findById(mediaId);
    if (!m) return false;
    try {
      await this.rooms.requireMember(ctx.user.id, m.roomId);
    } catch {
      return false;
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, Date.now() + TTL_MS);
    return true;
  }
}
