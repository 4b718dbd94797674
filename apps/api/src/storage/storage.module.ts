import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaStore } from './media.store.js';
import { LocalMediaStore } from './local-media.store.js';
import { S3MediaStore } from './s3-media.store.js';
import { createS3Client } from './s3-client.js';

/**
 * Media storage behind the MediaStore port, chosen by STORAGE: local disk under MEDIA_ROOT (the default)
 * or an S3-compatible bucket. Callers (media, uploads, HLS) do not know which.
 */
@Module({
  providers: [
    {
      provide: MediaStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MediaStore =>
        config.storage.kind === 's3'
          ? new S3MediaStore(createS3Client(config.storage), config.storage.bucket, new LocalMediaStore(config))
          : new LocalMediaStore(config),
    },
  ],
  exports: [MediaStore],
})
export class StorageModule {}
