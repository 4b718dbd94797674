import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { MediaModule } from '../media/media.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { TusServer } from './tus.server.js';
import { tusDatastoreProvider } from './tus-datastore.js';
import { TusEndpoint } from './tus.endpoint.js';
import { UploadContexts } from './upload-context.js';
import { UploadLocks } from './upload-locks.js';
import { UploadsCleanup } from './uploads.cleanup.js';
import { UploadsMiddleware } from './uploads.middleware.js';
import { UploadsRepository } from './uploads.repository.js';
import { PrismaUploadsRepository } from './prisma-uploads.repository.js';
import { UploadsService } from './uploads.service.js';
import { UploadsSweep } from './uploads.sweep.js';

/**
 * Resumable uploads (tus 1.0) at /api/uploads. main.ts mounts UploadsMiddleware.handle ahead of the body
 * parsers; it admits the request and hands it to TusServer. UploadsSweep removes expired uploads.
 */
@Module({
  imports: [AuthModule, RoomsModule, MediaModule, StorageModule],
  providers: [
    UploadsService,
    { provide: UploadsRepository, useClass: PrismaUploadsRepository },
    UploadContexts,
    UploadLocks,
    tusDatastoreProvider,
    { provide: TusEndpoint, useClass: TusServer },
    UploadsMiddleware,
    UploadsSweep,
    UploadsCleanup,
  ],
  exports: [UploadsMiddleware],
})
export class UploadsModule {}
