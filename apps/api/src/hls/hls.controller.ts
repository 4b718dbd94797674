import { Controller, Get, NotFoundException, Param, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { Inject } from '@nestjs/common';
import { mediaIdSchema } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { LOGGER } from '../common/logger.js';
import { MediaStore } from '../storage/media.store.js';
import { HlsAccess } from './hls-access.js';
import { hlsFile } from './hls-file.js';

/**
 * Serves `/media/<mediaId>/<file>` from the media's hls folder in the store to members of its room.
 * hls.js sends the session cookie with same-origin requests, so no token has to be put in URLs.
 * Playlists may change (they are rewritten while encoding), so they are revalidated; segments and init
 * files never change under a given name, so they are cached for a year.
 */
@Controller('media')
@UseGuards(AuthGuard)
export class HlsController {
  constructor(
    private readonly store: MediaStore,
    private readonly access: HlsAccess,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':mediaId/*path')
  async serve(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string, @Param('path') path: string | string[], @Res() res: Response) {
    const notFound = () => new NotFoundException('Not found.');
    if (!mediaIdSchema.safeParse(mediaId).success) throw notFound();
    const file = hlsFile(mediaId, Array.isArray(path) ? path : String(path).split('/'));
    if (!file) throw notFound();
    if (!(await this.access.canRead(ctx, mediaId))) throw notFound();
    const object = await this.store.stat(file.key);
    if (!object) throw notFound();
    const body = await this.store.read(file.key).catch(() => null);
    if (!body) throw notFound();
    // A live playlist is replaced every segment (ffmpeg's temp file + rename): the size from stat may
    // belong to another version than the one read. Playlists are small, so they are read whole and
    // measured; a wrong Content-Length would cut the answer or break the keep-alive connection.
    const playlist = file.isPlaylist ? await buffered(body).catch(() => null) : null;
    if (file.isPlaylist && !playlist) throw notFound();
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(playlist ? playlist.length : object.size));
    res.setHeader('Last-Modified', object.modifiedAt.toUTCString());
    res.setHeader('Cache-Control', file.isPlaylist ? 'private, no-cache' : 'private, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (playlist) {
      res.end(playlist);
      return;
    }
    try {
      await pipeline(body, res);
    } catch (err) {
      // The player went away mid-segment (seek, quality switch): nothing to answer.
      this.logger.debug({ err: err instanceof Error ? err.message : err, mediaId }, 'hls response ended early');
    }
  }
}

async function buffered(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
