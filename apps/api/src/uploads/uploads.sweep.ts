import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaStore } from '../storage/media.store.js';
import { mediaKeys } from '../storage/media-keys.js';
import { isUploadId } from './upload-id.js';
import { TusEndpoint } from './tus.endpoint.js';
import { UploadsService } from './uploads.service.js';

/**
 * Deletes expired unfinished uploads: tus's own sweep (info files past their expiry), then any stray
 * file it cannot see (a data or info file without its pair, older than the expiry), then expired rows.
 * Idempotent, so every API copy may run it (UploadsCleanup runs it on a timer).
 */
@Injectable()
export class UploadsSweep {
  constructor(
    private readonly tus: TusEndpoint,
    private readonly store: MediaStore,
    private readonly uploads: UploadsService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'uploadExpiryMs'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(now = Date.now()): Promise<{ files: number; rows: number }> {
    let files = 0;
    try {
      files = await this.tus.cleanUpExpiredUploads();
    } catch (err) {
      this.logger.warn({ err }, 'tus expiry sweep failed; removing stray files directly');
    }
    const folder = mediaKeys.stagingFolder('tus');
    const objects = await this.store.list(folder);
    const present = new Set(objects.map((o) => o.key));
    for (const o of objects) {
      const name = o.key.slice(folder.length);
      const info = name.endsWith('.json');
      const id = info ? name.slice(0, -5) : name;
      if (!isUploadId(id)) continue;
      const pair = folder + (info ? id : `${id}.json`);
      if (present.has(pair) || now - o.modifiedAt.getTime() <= this.config.uploadExpiryMs) continue;
      await this.store.delete(o.key);
      files++;
    }
    const rows = (await this.uploads.deleteExpired(new Date(now))).length;
    if (files || rows) this.logger.info({ files, rows }, 'expired uploads removed');
    return { files, rows };
  }
}
