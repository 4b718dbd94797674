import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Logger } from 'pino';
import { EVENTS, Server } from '@tus/server';
import { FileStore } from '@tus/file-store';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaStore } from '../storage/media.store.js';
import { mediaKeys } from '../storage/media-keys.js';
import { UploadContexts } from './upload-context.js';
import { tusErrorResponse } from './upload-errors.js';
import { UploadLocks } from './upload-locks.js';
import { newUploadId } from './upload-id.js';
import { UploadsService } from './uploads.service.js';
import { TusEndpoint } from './tus.endpoint.js';

export const UPLOADS_PATH = '/api/uploads';
/** Response header on the PATCH (or POST) that completes an upload: the id of the Media row it became. */
export const MEDIA_ID_HEADER = 'Reelroom-Media-Id';

/**
 * The tus 1.0 server (@tus/server): its data store, locker, URLs and CORS, and its hooks wired to
 * UploadsService (creation rules, completion). It trusts the UploadsMiddleware in front of it to have
 * authenticated the caller and checked the upload id and its owner.
 *
 * The bytes of an upload in flight live in the store's `tus` staging directory (tus's FileStore writes
 * there: a data file and a `.json` info file per upload); a finished one moves into the store under its
 * media id through media's intake (MediaService).
 */
@Injectable()
export class TusServer extends TusEndpoint {
  private readonly server: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uploads: UploadsService,
    private readonly store: MediaStore,
    private readonly contexts: UploadContexts,
    locks: UploadLocks,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    const publicUrl = config.publicUrl?.replace(/\/+$/, '');
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: new FileStore({ directory: store.stagingDirectory('tus'), expirationPeriodInMilliseconds: config.uploadExpiryMs }),
      locker: locks.locker,
      namingFunction: () => newUploadId(),
      maxSize: config.maxUploadBytes,
      // Location comes from PUBLIC_URL, else from this request's own Host and the protocol express
      // derived (X-Forwarded-Proto only from the trusted loopback proxy); never from X-Forwarded-Host.
      respectForwardedHeaders: false,
      generateUrl: (req, { host, path, id }) => `${publicUrl ?? `${contexts.protocolOf(req)}://${host}`}${path}/${id}`,
      // Same-origin web app only: no Access-Control-Allow-Origin for anyone else.
      allowedOrigins: publicUrl ? [new URL(publicUrl).origin] : () => false,
      exposedHeaders: [MEDIA_ID_HEADER],
      disableTerminationForFinishedUploads: true,
      onUploadCreate: async (req, upload) => {
        const { auth } = this.contexts.of(req);
        const metadata = await this.uploads.create(auth.user.id, upload.id, upload.size, upload.metadata);
        return { metadata };
      },
      onUploadFinish: async (req, upload) => {
        const ctx = this.contexts.of(req);
        const row = ctx.upload ?? (await this.uploads.findOwned(ctx.auth.user.id, upload.id));
        if (!row) throw new NotFoundException('This upload does not exist.');
        try {
          const view = await this.uploads.finish(row, mediaKeys.staged('tus', upload.id));
          return { headers: { [MEDIA_ID_HEADER]: view.id } };
        } catch (err) {
          // Refused (415, 413) or failed: acceptFile already deleted the bytes; drop tus's info file too.
          if (!(err instanceof NotFoundException)) await this.store.delete(mediaKeys.staged('tus', upload.id));
          throw err;
        } finally {
          await this.store.delete(mediaKeys.staged('tus', `${upload.id}.json`));
        }
      },
      onResponseError: (_req, err) => {
        const res = tusErrorResponse(err, this.config.maxUploadBytes);
        if (res.status_code >= 500) this.logger.error({ err, status: res.status_code }, 'upload error');
        return res;
      },
    });
    this.server.on(EVENTS.POST_TERMINATE, (_req: unknown, _res: unknown, id: string) => {
      this.uploads.terminated(id).catch((err: unknown) => this.logger.error({ err, uploadId: id }, 'could not delete the upload row'));
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.server.handle(req, res);
  }

  cleanUpExpiredUploads(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }
}
