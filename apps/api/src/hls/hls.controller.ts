import { Controller, Get, NotFoundException, Param, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { extname } from 'node:path';
import { mediaIdSchema } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { MediaStorage } from '../media/media-storage.js';
import { HlsAccess } from './hls-access.js';

// Apple HLS authoring spec 10.4 content types.
const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.ts': 'video/mp2t',
  '.aac': 'audio/aac',
  '.vtt': 'text/vtt; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};

/**
 * Serves `/media/<mediaId>/<file>` from MEDIA_ROOT/<mediaId>/hls to members of the media's room.
 * hls.js sends the session cookie with same-origin requests, so no token has to be put in URLs.
 * Playlists may change (they are rewritten while encoding in later work), so they are revalidated;
 * segments and init files never change under a given name, so they are cached for a year.
 */
@Controller('media')
@UseGuards(AuthGuard)
export class HlsController {
  constructor(private readonly storage: MediaStorage, private readonly access: HlsAccess) {}

  @Get(':mediaId/*path')
  async serve(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string, @Param('path') path: string | string[], @Res() res: Response) {
    const notFound = () => new NotFoundException('Not found.');
    if (!mediaIdSchema.safeParse(mediaId).success) throw notFound();
    const segments = Array.isArray(path) ? path : String(path).split('/');
    const type = CONTENT_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
    if (!type) throw notFound();
    if (!(await this.access.canRead(ctx, mediaId))) throw notFound();
    const file = await this.storage.resolveServedFile(mediaId, segments);
    if (!file) throw notFound();
    const isPlaylist = type.startsWith('application/vnd.apple.mpegurl');
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', isPlaylist ? 'private, no-cache' : 'private, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(file, { dotfiles: 'deny', headers: { 'Content-Type': type } }, (err) => {
      if (err && !res.headersSent) res.status(404).json({ statusCode: 404, message: 'Not found.' });
    });
  }
}
