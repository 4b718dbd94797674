import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Options,
  Param,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { Inject } from '@nestjs/common';
import { LL_PART_FILE, MEDIA_PLAYLIST_NAME, mediaIdSchema } from '@reelroom/contracts';
import { readWhole } from '@reelroom/s3';
import { tokenFromRequest } from '../auth/auth.guard.js';
import { AuthService } from '../auth/auth.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../common/logger.js';
import { MediaStore } from '../storage/media.store.js';
import { MediaUrlSigner } from '../storage/media-url-signer.js';
import { CAST_PATH, verifyCastToken } from './cast-token.js';
import { ACCESS_MAX_AGE_MS, HlsAccess, type HlsReader } from './hls-access.js';
import { hlsFile, type HlsFile } from './hls-file.js';
import { SubtitleRenditions } from '../subtitles/subtitle-renditions.js';
import { etagOf, hlsReply, noneMatchHits } from './hls-http.js';
import { holdHintedPart, holdPlaylist, parseBlockingQuery, type BlockingRequest } from './blocking-reload.js';
import { deltaPlaylist, parseSkipQuery } from './playlist-delta.js';
import { PlaylistWaits } from './playlist-waits.js';
import { GZIP_MIN_BYTES, PlaylistGzip } from './playlist-gzip.js';

/**
 * Serves `/media/<mediaId>/<file>` from the media's hls folder in the store to members of its room.
 * hls.js sends the session cookie with same-origin requests, so no token has to be put in URLs; a
 * casting receiver (another origin, no cookie) uses `/media/<mediaId>/t/<token>/<file>` instead, a URL
 * signed for one media and one user that expires (cast.controller.ts issues it; cast-token.ts).
 * Playlists may change (they are rewritten while encoding), so they are revalidated, and every playlist
 * request re-checks membership (a ban or kick stops playback at the next playlist; an LL-HLS blocking
 * reload within a second: hls-access.ts); segments and init
 * files never change under a given name, so they are cached privately for a year. Every file answers
 * ETag/If-None-Match (304); segments also single byte ranges (206, 416), as players and browsers expect.
 * With MEDIA_DELIVERY=signed, after the same checks, segments, init files and images are a 302 to a
 * short-lived presigned bucket URL instead (MediaUrlSigner); playlists and WebVTT are still served here.
 * Live playlists are replaced every segment (ffmpeg's temp file + rename), so a playlist is read whole,
 * and its length and ETag come from the bytes sent, never from a stat of another version.
 */
@Controller('media')
export class HlsController {
  private readonly gzip = new PlaylistGzip();

  constructor(
    private readonly store: MediaStore,
    private readonly signer: MediaUrlSigner,
    private readonly access: HlsAccess,
    private readonly auth: AuthService,
    private readonly subtitles: SubtitleRenditions,
    private readonly waits: PlaylistWaits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** CORS preflight (a Range request from another origin): allowed origins only, GET and HEAD, no cookies. */
  @Options(':mediaId/*path')
  preflight(@Req() req: Request, @Res() res: Response) {
    if (!this.cors(req, res)) return void res.status(403).end();
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
    res.setHeader('Access-Control-Allow-Headers', 'Range, If-None-Match, If-Range');
    res.setHeader('Access-Control-Max-Age', '600');
    return void res.status(204).end();
  }

  /** A playlist's bytes as served: stored (the master with its subtitle renditions added) or made (a subtitle track's). */
  private async playlistBytes(mediaId: string, file: HlsFile): Promise<Buffer | null> {
    if (file.subtitlePlaylist) {
      const text = await this.subtitles.mediaPlaylist(mediaId, file.subtitlePlaylist);
      return text === null ? null : Buffer.from(text, 'utf8');
    }
    const stored = await this.storedBytes(file.key);
    if (!stored || !file.isMaster) return stored;
    return Buffer.from(await this.subtitles.master(mediaId, stored.toString('utf8')), 'utf8');
  }

  /**
   * A blocking reload (RFC 8216bis 6.2.5.2): the stored playlist once it holds the asked segment or part
   * (re-read at every rewrite the transcoder announces), 400 for one too far ahead, 503 when it does not
   * come within three target durations.
   */
  private async heldPlaylist(key: string, asked: BlockingRequest, signal: AbortSignal): Promise<Buffer | null | 'gone'> {
    const held = await holdPlaylist(asked, {
      read: () => this.storedBytes(key),
      nextChange: () => this.waits.nextChange(key),
      now: Date.now,
      signal,
    });
    if (held === 'bad') throw new BadRequestException('That segment or part is too far past the live edge.');
    if (held === 'timeout') throw new ServiceUnavailableException('The live did not reach that segment in time.');
    return held;
  }

  /**
   * A low-latency live's next part, asked for before the packager wrote it (the playlist's preload hint):
   * held until it is written, then its stat; null when it is not the hinted part or does not come in time.
   */
  private async hintedPart(key: string, signal: AbortSignal) {
    if (!isLlPart(key)) return null;
    const slash = key.lastIndexOf('/');
    const name = key.slice(slash + 1);
    const playlistKey = `${key.slice(0, slash)}/${MEDIA_PLAYLIST_NAME}`;
    const written = await holdHintedPart(name, {
      exists: async () => (await this.store.stat(key)) !== null,
      playlist: () => this.storedBytes(playlistKey),
      nextChange: () => this.waits.nextChange(playlistKey),
      now: Date.now,
      signal,
    });
    return written ? this.store.stat(key) : null;
  }

  /** A stored object's whole bytes (a playlist), or null when it cannot be read. */
  private storedBytes(key: string): Promise<Buffer | null> {
    return readWhole(() => this.store.read(key)).catch(() => null);
  }

  private cors(req: Request, res: Response): boolean {
    return corsFor(this.config.mediaCorsOrigins, req, res);
  }

  @Get(':mediaId/*path')
  async serve(@Param('mediaId') mediaId: string, @Param('path') path: string | string[], @Req() req: Request, @Res() res: Response) {
    const notFound = () => new NotFoundException('Not found.');
    this.cors(req, res);
    if (!mediaIdSchema.safeParse(mediaId).success) throw notFound();
    let segments = Array.isArray(path) ? path : String(path).split('/');
    let reader: HlsReader;
    if (segments[0] === CAST_PATH && segments.length > 2) {
      // /media/<mediaId>/t/<token>/...: a casting URL, no cookie needed; relative URIs in the playlists
      // keep the token in the path.
      const claims = verifyCastToken(segments[1], this.config.mediaTokenSecret, Date.now() / 1000);
      if (!claims || claims.mediaId !== mediaId) throw new ForbiddenException('This playback link is invalid or has expired.');
      reader = { cacheKey: `cast:${segments[1]}`, userId: claims.userId };
      segments = segments.slice(2);
    } else {
      const ctx = await this.auth.authenticate(tokenFromRequest(req.headers, req.cookies as Record<string, string> | undefined));
      if (!ctx) throw new UnauthorizedException('Sign in to continue.');
      reader = { cacheKey: ctx.sessionId, userId: ctx.user.id };
    }
    const asked = hlsFile(mediaId, segments);
    if (!asked) throw notFound();
    // LL-HLS blocking reload: only media playlists block (a master or subtitle playlist ignores the query).
    const mediaPlaylist = asked.isPlaylist && !asked.isMaster && !asked.subtitlePlaylist;
    const blocking = mediaPlaylist ? parseBlockingQuery(req.query) : null;
    // LL-HLS delta update (RFC 8216bis 6.2.5.1): only where the playlist offers it (CAN-SKIP-UNTIL).
    const skip = mediaPlaylist ? parseSkipQuery(req.query) : false;
    const maxAgeMs = !asked.isPlaylist
      ? ACCESS_MAX_AGE_MS.segment
      : blocking && blocking !== 'bad'
        ? ACCESS_MAX_AGE_MS.blockingReload
        : ACCESS_MAX_AGE_MS.playlist;
    const folder = await this.access.folderFor(reader, mediaId, { maxAgeMs });
    if (folder === null) throw notFound();
    const file = hlsFile(mediaId, segments, folder);
    if (!file) throw notFound();
    // A held request (a blocking reload, a hinted part) ends when its client goes away, not at its timeout:
    // a player that seeks or closes the tab frees its wait (and the Redis listener) at once.
    const clientGone = new AbortController();
    res.once('close', () => clientGone.abort());
    if (file.bytesOnly && this.signer.origin !== null) {
      // MEDIA_DELIVERY=signed: the bucket sends the bytes. Asked for afresh on every request (never cached
      // here or in the browser), so a player paused for hours gets a live URL when it resumes; no stat
      // first (a missing object is the bucket's 404, and a HEAD per segment is the latency we save), except
      // for a low-latency part: a native player asks for the preload-hinted one before it is written, so a
      // missing part is held here until it is (one HEAD per part is the price), never sent to a 404.
      if (isLlPart(file.key) && !(await this.store.stat(file.key)) && !(await this.hintedPart(file.key, clientGone.signal))) {
        if (clientGone.signal.aborted) return;
        throw notFound();
      }
      const location = await this.signer.signedGet(file.key, file.contentType);
      if (location) {
        res.setHeader('Cache-Control', 'private, no-store');
        return void res.redirect(302, location);
      }
    }
    // A subtitle track's playlist is made from its row (subtitle-playlists.ts); it has no stored object.
    const object = file.subtitlePlaylist
      ? { modifiedAt: null }
      : ((await this.store.stat(file.key)) ?? (await this.hintedPart(file.key, clientGone.signal)));
    if (clientGone.signal.aborted) return;
    if (!object) throw notFound();
    if (object.modifiedAt) res.setHeader('Last-Modified', object.modifiedAt.toUTCString());
    res.setHeader('Cache-Control', file.isPlaylist ? 'private, no-cache' : 'private, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');

    if (file.isPlaylist) {
      // After the access check: a stranger gets the same 404 whatever the query.
      if (blocking === 'bad') throw new BadRequestException('_HLS_msn and _HLS_part must be whole numbers, and _HLS_part needs _HLS_msn.');
      if (skip === 'bad') throw new BadRequestException('_HLS_skip must be YES or v2.');
      const full = blocking ? await this.heldPlaylist(file.key, blocking, clientGone.signal) : await this.playlistBytes(mediaId, file);
      if (full === 'gone') return;
      if (!full) throw notFound();
      const playlist = skip ? Buffer.from(deltaPlaylist(full.toString('utf8')), 'utf8') : full;
      // From the bytes of the playlist (length and content hash), in the same shape as a segment's
      // size-mtime tag; the gzipped representation has its own (a strong ETag names one representation).
      const plainTag = `"${playlist.length.toString(16)}-${createHash('sha1').update(playlist).digest('hex').slice(0, 16)}"`;
      const gzip = playlist.length >= GZIP_MIN_BYTES && req.acceptsEncodings('gzip') === 'gzip';
      const etag = gzip ? `${plainTag.slice(0, -1)}-gz"` : plainTag;
      res.vary('Accept-Encoding'); // beside Origin (corsFor)
      res.setHeader('ETag', etag);
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch && noneMatchHits(ifNoneMatch, etag)) return void res.status(304).end();
      const body = gzip ? this.gzip.bytes(file.key, plainTag, playlist) : playlist;
      if (gzip) res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', String(body.length));
      return void res.end(body);
    }

    if (!('size' in object)) throw notFound();
    res.setHeader('ETag', etagOf(object));
    res.setHeader('Accept-Ranges', 'bytes');
    const reply = hlsReply(req.headers, object);
    if (reply.status === 304) return void res.status(304).end();
    if (reply.status === 416) return void res.status(416).setHeader('Content-Range', `bytes */${object.size}`).end();
    const range = reply.status === 206 ? reply.range : undefined;
    const body = await this.store.read(file.key, range).catch(() => null);
    if (!body) throw notFound();
    res.status(reply.status);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(range ? range.end - range.start + 1 : object.size));
    if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
    try {
      await pipeline(body, res);
    } catch (err) {
      // The player went away mid-segment (seek, quality switch): nothing to answer.
      this.logger.debug({ err: err instanceof Error ? err.message : err, mediaId }, 'hls response ended early');
    }
  }
}

/** The object is a low-latency live's part file (`<rung>/part_<msn>_<index>.m4s`). */
const isLlPart = (key: string): boolean => LL_PART_FILE.test(key.slice(key.lastIndexOf('/') + 1));

/**
 * CORS for the configured origins only (MEDIA_CORS_ORIGINS): their players read with a casting URL, so
 * no credentials are allowed. Vary: Origin either way, so a shared cache never serves one origin's
 * answer to another. True when the request's origin is allowed.
 */
function corsFor(origins: readonly string[], req: Request, res: Response): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag');
  return true;
}
