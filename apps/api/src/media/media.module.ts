import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { diskStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { RealtimeModule } from '../realtime/realtime.module.js';
import { RoomsGateway } from '../realtime/rooms.gateway.js';
import { TranscodeProducer } from '../queue/transcode.producer.js';
import { HlsController } from '../hls/hls.controller.js';
import { HlsAccess } from '../hls/hls-access.js';
import { HealthController } from '../health/health.controller.js';
import { MediaController } from './media.controller.js';
import { MediaEvents } from './media.events.js';
import { MediaRepository } from './media.repository.js';
import { MediaService } from './media.service.js';
import { MediaStorage } from './media-storage.js';
import { TranscodeEventsListener } from './transcode-events.listener.js';

@Module({
  imports: [
    AuthModule,
    RoomsModule,
    RealtimeModule,
    // Uploads stream to disk under random names (never the client's name); the size limit makes multer
    // stop reading and Nest answer 413.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: diskStorage({
          destination: `${config.mediaRoot}/.incoming`,
          filename: (_req, _file, cb) => cb(null, randomBytes(16).toString('hex')),
        }),
        limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, parts: 12 },
        // Browsers and fetch send the filename as raw UTF-8; busboy's default (latin1) turned "vidéo.mp4"
        // into mojibake and let RTL overrides through the metadata cleaner (issue 4, hostile filenames).
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [MediaController, HlsController, HealthController],
  providers: [
    MediaService,
    MediaRepository,
    MediaStorage,
    TranscodeProducer,
    TranscodeEventsListener,
    HlsAccess,
    { provide: MediaEvents, useExisting: RoomsGateway },
  ],
  exports: [MediaStorage, MediaService],
})
export class MediaModule {}
