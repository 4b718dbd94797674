import { Controller, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { MEDIA_FILES, mediaIdSchema, type CastUrlView } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaRepository } from '../media/media.repository.js';
import { CAST_PATH, signCastToken } from './cast-token.js';
import { ACCESS_MAX_AGE_MS, HlsAccess } from './hls-access.js';

/**
 * Issues casting URLs: a member of the media's room gets a URL that a receiver can play without the
 * session cookie, for this media only, signed with the server secret and expiring after CAST_TOKEN_TTL_SEC
 * plus the video's duration (so a started cast can finish). It reads as the member: a ban or kick stops
 * it at its next playlist request, like the member's own player.
 */
@Controller('api')
@UseGuards(AuthGuard)
export class CastController {
  constructor(
    private readonly access: HlsAccess,
    private readonly media: MediaRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('media/:mediaId/cast')
  @HttpCode(200)
  async castUrl(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string): Promise<CastUrlView> {
    const notFound = () => new NotFoundException('This media does not exist.');
    if (!mediaIdSchema.safeParse(mediaId).success) throw notFound();
    if (!(await this.access.canRead({ cacheKey: ctx.sessionId, userId: ctx.user.id }, mediaId, { maxAgeMs: ACCESS_MAX_AGE_MS.playlist })))
      throw notFound();
    const durationSec = (await this.media.findById(mediaId))?.durationSec ?? 0;
    const exp = Math.floor(Date.now() / 1000) + this.config.castTokenTtlSec + Math.ceil(durationSec);
    const token = signCastToken({ mediaId, userId: ctx.user.id, exp }, this.config.mediaTokenSecret);
    return { url: `/media/${mediaId}/${CAST_PATH}/${token}/${MEDIA_FILES.master}`, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
