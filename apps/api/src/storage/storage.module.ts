import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MediaStore } from './media.store.js';
import { LocalMediaStore } from './local-media.store.js';
import { MediaUrlSigner, NoMediaUrlSigner } from './media-url-signer.js';

/**
 * Media storage behind the MediaStore port, chosen by STORAGE: local disk under MEDIA_ROOT (the default)
 * or an S3-compatible bucket. Callers (media, uploads, HLS) do not know which. MediaUrlSigner: presigned
 * bucket URLs when MEDIA_DELIVERY=signed.
 */
@Module({
  providers: [
    {
      provide: MediaStore,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<MediaStore> => {
        if (config.storage.kind !== 's3') return new LocalMediaStore(config);
        // Loaded only when used: the AWS SDK is a large part of start-up time, and local disk needs none of it.
        const [{ S3MediaStore }, { createS3Client }] = await Promise.all([import('./s3-media.store.js'), import('@reelroom/s3/client')]);
        return new S3MediaStore(createS3Client(config.storage), config.storage.bucket, new LocalMediaStore(config));
      },
    },
    {
      // MEDIA_DELIVERY=signed: presigned bucket URLs for playback bytes; otherwise none (config requires s3 for it).
      provide: MediaUrlSigner,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<MediaUrlSigner> => {
        const delivery = config.mediaDelivery;
        if (delivery.mode !== 'signed' || config.storage.kind !== 's3') return new NoMediaUrlSigner();
        const [{ S3MediaUrlSigner }, { createS3Client }] = await Promise.all([
          import('./s3-media-url-signer.js'),
          import('@reelroom/s3/client'),
        ]);
        return S3MediaUrlSigner.create(createS3Client(config.storage), {
          bucket: config.storage.bucket,
          ttlSec: delivery.ttlSec,
          publicBaseUrl: delivery.publicBaseUrl,
        });
      },
    },
  ],
  exports: [MediaStore, MediaUrlSigner],
})
export class StorageModule {}
