import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { HttpException, Inject, Injectable, NotFoundException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { EVENTS, Server, type ServerOptions } from '@tus/server';
import { FileStore } from '@tus/file-store';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { tokenFromRequest } from '../auth/auth.guard.js';
import { GUEST_UPLOAD_REFUSED } from '../rooms/room-member.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { createRedis } from '../queue/redis.js';
import { RedisLockBackend } from './lock-backend.js';
import { RedisLocker } from './redis-locker.js';
import { isUploadId, newUploadId } from './upload-id.js';
import type { UploadRecord } from './uploads.repository.js';
import { UploadsService } from './uploads.service.js';

export const UPLOADS_PATH = '/api/uploads';
/** Response header on the PATCH (or POST) that completes an upload: the id of the Media row it became. */
export const MEDIA_ID_HEADER = 'Reelroom-Media-Id';

/** What our middleware learned about a request before tus sees it (tus hooks only get a web Request). */
interface UploadContext {
  auth: AuthContext;
  upload: UploadRecord | null;
}
type ContextRequest = IncomingMessage & { reelroom?: UploadContext; protocol?: string };
type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

/** The node request behind tus's srvx Request (srvx keeps it at runtime.node.req). */
function nodeRequest(req: TusRequest): ContextRequest {
  const node = (req as unknown as { runtime?: { node?: { req?: ContextRequest } } }).runtime?.node?.req;
  if (!node) throw new Error('tus request without its node request');
  return node;
}

function contextOf(req: TusRequest): UploadContext {
  const ctx = nodeRequest(req).reelroom;
  if (!ctx) throw new Error('tus request reached a hook without passing the uploads middleware');
  return ctx;
}

const json = (statusCode: number, message: string) => JSON.stringify({ statusCode, message });

/**
 * The tus 1.0 endpoint (@tus/server + @tus/file-store) at /api/uploads, mounted as plain express
 * middleware ahead of the JSON body parser so tus reads the raw request stream.
 *
 * Before tus touches anything, `handle` authenticates the caller (cookie or Bearer, like every route),
 * allows POST only on the collection, and on an upload URL requires a 32-hex id whose Upload row belongs
 * to the caller: anything else is 404, so an id reveals nothing. Creation rules, completion and quota live
 * in UploadsService; locking across API processes in RedisLocker.
 */
@Injectable()
export class TusUploads implements OnModuleInit, OnModuleDestroy {
  readonly dir: string;
  readonly locker: RedisLocker;
  readonly server: Server;
  private readonly backend: RedisLockBackend;
  private readonly redis;
  private readonly subscriber;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uploads: UploadsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Under MEDIA_ROOT: the same filesystem, so adopting a finished upload is a rename, not a copy.
    this.dir = join(config.mediaRoot, '.tus');
    this.redis = createRedis(config.redisUrl, { failFast: true, name: 'tus-locker' });
    this.subscriber = createRedis(config.redisUrl, { name: 'tus-locker-sub' });
    this.backend = new RedisLockBackend(this.redis, this.subscriber, config.queuePrefix);
    this.locker = new RedisLocker(this.backend, { onLockLost: (id) => this.logger.warn({ uploadId: id }, 'upload lock lost before release') });
    const publicUrl = config.publicUrl?.replace(/\/+$/, '');

    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: new FileStore({ directory: this.dir, expirationPeriodInMilliseconds: config.uploadExpiryMs }),
      locker: this.locker,
      namingFunction: () => newUploadId(),
      maxSize: config.maxUploadBytes,
      // Location comes from PUBLIC_URL, else from this request's own Host and the protocol express
      // derived (X-Forwarded-Proto only from the trusted loopback proxy); never from X-Forwarded-Host.
      respectForwardedHeaders: false,
      generateUrl: (req, { host, path, id }) => `${publicUrl ?? `${nodeRequest(req).protocol ?? 'http'}://${host}`}${path}/${id}`,
      // Same-origin web app only: no Access-Control-Allow-Origin for anyone else.
      allowedOrigins: publicUrl ? [new URL(publicUrl).origin] : () => false,
      exposedHeaders: [MEDIA_ID_HEADER],
      disableTerminationForFinishedUploads: true,
      onUploadCreate: async (req, upload) => {
        const { auth } = contextOf(req);
        const metadata = await this.uploads.create(auth.user.id, upload.id, upload.size, upload.metadata);
        return { metadata };
      },
      onUploadFinish: async (req, upload) => {
        const ctx = contextOf(req);
        const row = ctx.upload ?? (await this.uploads.findOwned(ctx.auth.user.id, upload.id));
        if (!row) throw new NotFoundException('This upload does not exist.');
        try {
          const view = await this.uploads.finish(row, join(this.dir, upload.id));
          return { headers: { [MEDIA_ID_HEADER]: view.id } };
        } catch (err) {
          // Refused (415, 413) or failed: acceptFile already deleted the bytes; drop tus's info file too.
          if (!(err instanceof NotFoundException)) await this.removeFiles(upload.id);
          throw err;
        } finally {
          await rm(join(this.dir, `${upload.id}.json`), { force: true });
        }
      },
      onResponseError: (_req, err) => this.mapError(err),
    });
    this.server.on(EVENTS.POST_TERMINATE, (_req: unknown, _res: unknown, id: string) => {
      this.uploads.terminated(id).catch((err: unknown) => this.logger.error({ err, uploadId: id }, 'could not delete the upload row'));
    });
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.backend.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => undefined);
  }

  /** express handler for everything under /api/uploads. */
  readonly handle = async (req: Request, res: Response): Promise<void> => {
    const reply = (status: number, message: string) => {
      res.status(status).set({ 'Tus-Resumable': '1.0.0', 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).send(json(status, message));
    };
    try {
      if (req.method !== 'OPTIONS') {
        const auth = await this.uploads.authenticate(tokenFromRequest(req.headers, req.cookies as Record<string, string> | undefined));
        if (!auth) return reply(401, 'Sign in to continue.');
        // Guests can watch and chat; uploading needs an account (issue 3).
        if (auth.user.isGuest) return reply(403, GUEST_UPLOAD_REFUSED);
        // req.path is relative to the mount point and not percent-decoded: `%2e%2e%2f` fails the id pattern.
        let upload: UploadRecord | null = null;
        if (req.path === '/') {
          if (req.method !== 'POST') return reply(404, 'Not found.');
        } else {
          const id = req.path.slice(1);
          if (!isUploadId(id) || !['HEAD', 'PATCH', 'DELETE'].includes(req.method)) return reply(404, 'This upload does not exist.');
          upload = await this.uploads.findOwned(auth.user.id, id);
          // Someone else's upload answers exactly like a missing one.
          if (!upload) return reply(404, 'This upload does not exist.');
        }
        (req as unknown as ContextRequest).reelroom = { auth, upload };
      }
      // tus takes the upload id from the URL: give it the full path, not the mount-relative one.
      req.url = req.originalUrl;
      await this.server.handle(req as IncomingMessage, res as ServerResponse);
    } catch (err) {
      this.logger.error({ err, method: req.method }, 'upload request failed');
      if (!res.headersSent) reply(500, 'The server had a problem with this upload. Please try again.');
      else res.destroy();
    }
  };

  /** Our exceptions become their status and sentence; tus's own errors get clearer sentences where it helps. */
  private mapError(err: Error | { status_code: number; body: string }): { status_code: number; body: string } {
    if (err instanceof HttpException) {
      const r = err.getResponse();
      const message = typeof r === 'object' && r && 'message' in r ? String((r as { message: unknown }).message) : err.message;
      return { status_code: err.getStatus(), body: json(err.getStatus(), message) };
    }
    if ('status_code' in err && typeof err.status_code === 'number') {
      const status = err.status_code;
      const nice: Record<number, string> = {
        409: 'Upload-Offset conflict: ask for the current offset (HEAD) and continue from there.',
        410: 'This upload expired. Start it again.',
        413: `This file is larger than the upload limit (${(this.config.maxUploadBytes / 1024 ** 3).toFixed(1)} GB).`,
      };
      if (status >= 500) this.logger.error({ status, body: err.body }, 'upload error');
      return { status_code: status, body: json(status, nice[status] ?? String(err.body).trim()) };
    }
    this.logger.error({ err }, 'upload error');
    return { status_code: 500, body: json(500, 'The server had a problem receiving the upload. Please try again.') };
  }

  private async removeFiles(id: string): Promise<void> {
    await Promise.all([rm(join(this.dir, id), { force: true }), rm(join(this.dir, `${id}.json`), { force: true })]);
  }

  /**
   * Deletes expired unfinished uploads: tus's own sweep (info files past their expiry), then any stray
   * file it cannot see (a data or info file without its pair, older than the expiry), then expired rows.
   */
  async cleanUp(now = Date.now()): Promise<{ files: number; rows: number }> {
    let files = 0;
    try {
      files = await this.server.cleanUpExpiredUploads();
    } catch (err) {
      this.logger.warn({ err }, 'tus expiry sweep failed; removing stray files directly');
    }
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const present = new Set(names);
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : name;
      if (!isUploadId(id)) continue;
      const paired = name.endsWith('.json') ? present.has(id) : present.has(`${id}.json`);
      if (paired) continue;
      const s = await stat(join(this.dir, name)).catch(() => null);
      if (s && now - s.mtimeMs > this.config.uploadExpiryMs) {
        await rm(join(this.dir, name), { force: true });
        files++;
      }
    }
    const rows = (await this.uploads.deleteExpired(new Date(now))).length;
    if (files || rows) this.logger.info({ files, rows }, 'expired uploads removed');
    return { files, rows };
  }
}
