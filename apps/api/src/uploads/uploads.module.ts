import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { MediaModule } from '../media/media.module.js';
import { TusUploads } from './tus-uploads.js';
import { UploadsCleanup } from './uploads.cleanup.js';
import { UploadsRepository } from './uploads.repository.js';
import { UploadsService } from './uploads.service.js';

/** Resumable uploads (tus 1.0) at /api/uploads; main.ts mounts TusUploads.handle ahead of the body parsers. */
@Module({
  imports: [AuthModule, RoomsModule, MediaModule],
  providers: [UploadsService, UploadsRepository, TusUploads, UploadsCleanup],
  exports: [TusUploads],
})
export class UploadsModule {}
