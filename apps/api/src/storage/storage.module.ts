import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaStore } from './media.store.js';
import { LocalMediaStore } from './local-media.store.js';

/**
 * Media storage behind the MediaStore port, chosen by STORAGE: local disk under MEDIA_ROOT (the default)
 * or an S3-compatible bucket. Callers (media, uploads, HLS) do not know which.
 */
@Module({
  providers: [
    {
      provide: MediaStore,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<MediaStore> => {
        if (config.storage.kind !== 's3') return new LocalMediaStore(config);
        // Loaded only when used: the AWS SDK is a large part of start-up time, and local disk needs none of it.
        const [{ S3MediaStore }, { createS3Client }] = await Promise.all([import('./s3-media.store.js'), import('./s3-client.js')]);
        return new S3MediaStore(createS3Client(config.storage), config.storage.bucket, new LocalMediaStore(config));
      },
    },
  ],
  exports: [MediaStore],
})
export class StorageModule {}
