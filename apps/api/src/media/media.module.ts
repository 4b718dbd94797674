import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { diskStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { PlaybackModule } from '../playback/playback.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { MediaStore } from '../storage/media.store.js';
import { MediaController } from './media.controller.js';
import { MediaRepository } from './media.repository.js';
import { PrismaMediaRepository } from './prisma-media.repository.js';
import { MediaService } from './media.service.js';
import { MediaIntake } from './media-intake.js';
import { TranscodeEventsListener } from './transcode-events.listener.js';
import { UploadReservations } from './upload-reservations.js';
import { PrismaUploadReservations } from './prisma-upload-reservations.js';
import { MultipartReservationInterceptor } from './multipart-reservation.interceptor.js';

import { MediaImportService } from './media-import.service.js';
import { ImportRestarter } from './import-restarter.js';
import { LinkChecker } from './link-checker.js';
import { SafeLinkChecker } from './safe-link-checker.js';
import { ImportReservations } from './import-reservations.js';
import { PrismaImportReservations } from './prisma-import-reservations.js';
import { LibraryController } from './library.controller.js';
import { LibraryService } from './library.service.js';
import { LibraryRepository } from './library.repository.js';
import { PrismaLibraryRepository } from './prisma-library.repository.js';

/**
 * Media items: uploads (multipart here, resumable in UploadsModule), imports by link, cancel, retry,
 * delete, the library (my videos across rooms, added to another room without uploading), the relay of transcoder activity to rooms, and quota reservations of uploads in flight
 * (UploadReservations). Exports MediaIntake (resumable uploads reserve and finish through it) and
 * MediaRepository (HLS access). Reaches rooms only through RoomAccessPolicy and the RoomBroadcaster port,
 * and playback only to report conversion progress (ConversionHoldService).
 */
@Module({
  imports: [
    AuthModule,
    RoomsModule,
    QueueModule,
    PlaybackModule,
    StorageModule,
    // Uploads stream to the store's staging directory under random names (never the client's name); the
    // size limit makes multer stop reading and Nest answer 413.
    MulterModule.registerAsync({
      imports: [StorageModule],
      inject: [APP_CONFIG, MediaStore],
      useFactory: (config: AppConfig, store: MediaStore) => ({
        storage: diskStorage({
          destination: store.stagingDirectory('incoming'),
          filename: (_req, _file, cb) => cb(null, randomBytes(16).toString('hex')),
        }),
        // fieldSize bounds the small text fields, so a body's declared length is the file plus a little
        // (MULTIPART_OVERHEAD_BYTES, checked before the body is read).
        limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
        // Browsers and fetch send the filename as raw UTF-8; busboy's default (latin1) turned "vidéo.mp4"
        // into mojibake and let RTL overrides through the metadata cleaner (issue 4, hostile filenames).
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [MediaController, LibraryController],
  providers: [
    MediaService,
    { provide: MediaIntake, useExisting: MediaService },
    { provide: MediaRepository, useClass: PrismaMediaRepository },
    { provide: UploadReservations, useClass: PrismaUploadReservations },
    MultipartReservationInterceptor,
    TranscodeEventsListener,
    MediaImportService,
    { provide: ImportRestarter, useExisting: MediaImportService },
    { provide: LinkChecker, useClass: SafeLinkChecker },
    { provide: ImportReservations, useClass: PrismaImportReservations },
    LibraryService,
    { provide: LibraryRepository, useClass: PrismaLibraryRepository },
  ],
  exports: [MediaIntake, MediaRepository, MediaService],
})
export class MediaModule {}
