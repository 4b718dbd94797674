import type { DataStore } from '@tus/utils';
import { FileStore } from '@tus/file-store';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaStore } from '../storage/media.store.js';
import { UploadsService } from './uploads.service.js';

export const TUS_DATASTORE = Symbol('TUS_DATASTORE');

/** tus's data store for the configured storage, and the name of its per-upload info file. */
export interface TusDatastore {
  store: DataStore;
  /** `<id><suffix>` objects beside the data (tus's info file, S3Store's short tail), deleted with the upload. */
  sidecars: string[];
}

/**
 * Local disk: tus's FileStore in the store's `tus` staging directory (data file + `<id>.json`).
 * S3: @tus/s3-store, a multipart upload per tus upload, straight into the bucket (no API process keeps the
 * bytes, so a resumed upload may land on any copy behind the load balancer): `<id>` once complete,
 * `<id>.info`, and `<id>.part` for a tail shorter than S3's 5 MiB minimum part. MediaStore's `.tus/<name>`
 * keys name those same objects (S3MediaStore), so finishing an upload is the same `move` either way.
 *
 * `remove` (a termination: DELETE) also runs `terminated` before it resolves: @tus/server answers 204 once
 * `remove` resolves, and the upload's row (its quota reservation) must be gone by then, or an upload
 * created right after could still meet the terminated one's share of the quota.
 */
export async function createTusDatastore(
  config: Pick<AppConfig, 'storage' | 'uploadExpiryMs'>,
  media: MediaStore,
  terminated: (id: string) => Promise<void>,
): Promise<TusDatastore> {
  const s = config.storage;
  let store: DataStore;
  if (s.kind === 's3') {
    // Loaded only when used: the AWS SDK is a large part of start-up time, and local disk needs none of it.
    const [{ S3Store }, { s3ClientConfig }] = await Promise.all([import('@tus/s3-store'), import('@reelroom/s3/client')]);
    store = new S3Store({
      s3ClientConfig: { ...s3ClientConfig(s), bucket: s.bucket },
      expirationPeriodInMilliseconds: config.uploadExpiryMs,
      // No object tags: not every S3-compatible server supports them, and expiry here is our own sweep.
      useTags: false,
    });
  } else {
    store = new FileStore({ directory: media.stagingDirectory('tus'), expirationPeriodInMilliseconds: config.uploadExpiryMs });
  }
  const remove = store.remove.bind(store);
  store.remove = async (id: string) => {
    await remove(id);
    await terminated(id);
  };
  return { store, sidecars: s.kind === 's3' ? ['.info', '.part'] : ['.json'] };
}

/** The Nest provider: TusServer gets the data store built for the configured storage. */
export const tusDatastoreProvider = {
  provide: TUS_DATASTORE,
  inject: [APP_CONFIG, MediaStore, UploadsService],
  useFactory: (config: AppConfig, media: MediaStore, uploads: UploadsService) =>
    createTusDatastore(config, media, (id) => uploads.terminated(id)),
};
