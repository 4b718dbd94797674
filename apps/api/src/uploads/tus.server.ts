import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Server } from '@tus/server';
import type { DataStore } from '@tus/utils';
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
import { TUS_DATASTORE, type TusDatastore } from './tus-datastore.js';

import { MEDIA_ID_HEADER } from './tus-protocol.js';

export const UPLOADS_PATH = '/api/uploads';
export { MEDIA_ID_HEADER };

/**
 * The extensions advertised (Tus-Extension) and used: FileStore's list without creation-with-upload (a
 * POST with a body is refused by the middleware) and creation-defer-length (a declared length is needed
 * for the quota reservation).
 */
export const TUS_EXTENSIONS = ['creation', 'termination', 'expiration'];

/**
 * The tus 1.0 server (@tus/server): its data store, locker, URLs and CORS, and its hooks wired to
 * UploadsService (creation rules, completion). It trusts the UploadsMiddleware in front of it to have
 * authenticated the caller and checked the upload id and its owner.
 *
 * The bytes of an upload in flight live in the store's `tus` staging area (tus-datastore.ts: FileStore on
 * local disk, S3Store in the bucket); a finished one moves into the store under its media id through
 * media's intake (MediaService).
 */
@Injectable()
export class TusServer extends TusEndpoint {
  private readonly server: Server;
  private readonly datastore: DataStore;
  /** tus's files beside each upload's data: `<id>.json` (FileStore), `<id>.info` and `<id>.part` (S3Store). */
  private readonly sidecars: string[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uploads: UploadsService,
    private readonly store: MediaStore,
    private readonly contexts: UploadContexts,
    locks: UploadLocks,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TUS_DATASTORE) tus: TusDatastore,
  ) {
    super();
    const publicUrl = config.publicUrl?.replace(/\/+$/, '');
    this.datastore = tus.store;
    this.sidecars = tus.sidecars;
    this.datastore.extensions = TUS_EXTENSIONS;
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: this.datastore,
      locker: locks.locker,
      namingFunction: () => newUploadId(),
      maxSize: config.maxUploadBytes,
      // Location comes from PUBLIC_URL, else it is relative (RFC 9110 allows it; tus clients resolve it
      // against the creation URL): never from a Host or X-Forwarded-Host header a client chose.
      respectForwardedHeaders: false,
      generateUrl: (_req, { path, id }) => `${publicUrl ?? ''}${path}/${id}`,
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
        // Only a PATCH completes an upload (a POST with a body is refused), so the row is in the context.
        const row = this.contexts.of(req).upload;
        if (!row) throw new Error('an upload completed without its row');
        try {
          const view = await this.uploads.finish(row, mediaKeys.staged('tus', upload.id));
          return { headers: { [MEDIA_ID_HEADER]: view.id } };
        } finally {
          // Accepted (data file moved) or refused (acceptFile deleted it): tus's info file goes either way.
          await this.deleteSidecars(upload.id);
        }
      },
      onResponseError: (_req, err) => {
        const res = tusErrorResponse(err, this.config.maxUploadBytes);
        if (res.status_code >= 500) this.logger.error({ err, status: res.status_code }, 'upload error');
        return res;
      },
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.server.handle(req, res);
  }

  async discard(id: string): Promise<void> {
    await Promise.all([this.store.delete(mediaKeys.staged('tus', id)), this.deleteSidecars(id)]);
  }

  private async deleteSidecars(id: string): Promise<void> {
    await Promise.all(this.sidecars.map((suffix) => this.store.delete(mediaKeys.staged('tus', `${id}${suffix}`))));
  }

  cleanUpExpiredUploads(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }
}
