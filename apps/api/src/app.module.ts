import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.js';
import { CoreModule } from './core.module.js';
import { AuthModule } from './auth/auth.module.js';
import { RoomsModule } from './rooms/rooms.module.js';
import { ChatModule } from './chat/chat.module.js';
import { PlaybackModule } from './playback/playback.module.js';
import { MediaModule } from './media/media.module.js';
import { HlsModule } from './hls/hls.module.js';
import { SubtitlesModule } from './subtitles/subtitles.module.js';
import { HealthModule } from './health/health.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { LiveModule } from './live/live.module.js';
import { BroadcastModule } from './realtime/broadcast.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AdminModule } from './admin/admin.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { RoomPreviewModule } from './room-preview/room-preview.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { LogContextInterceptor } from './common/log-context.interceptor.js';

/**
 * The composition root. Features (auth, rooms, chat, playback, media, HLS, health, uploads) depend on
 * ports; BroadcastModule binds the RoomBroadcaster port for all of them, and RealtimeModule serves them
 * over socket.io. See docs/ARCHITECTURE.md ("Modules of the API") for the picture.
 */
@Module({})
export class AppModule {
  static create(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, logger),
        MetricsModule,
        BroadcastModule,
        AuthModule,
        RoomsModule,
        ChatModule,
        PlaybackModule,
        RoomPreviewModule,
        MediaModule,
        HlsModule,
        SubtitlesModule,
        HealthModule,
        UploadsModule,
        LiveModule,
        AdminModule,
        OpenApiModule,
        RealtimeModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: LogContextInterceptor },
      ],
    };
  }
}
