import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.js';
import { CoreModule } from './core.module.js';
import { AuthModule } from './auth/auth.module.js';
import { RoomsModule } from './rooms/rooms.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { PlaybackModule } from './playback/playback.module.js';
import { ChatModule } from './chat/chat.module.js';
import { MediaModule } from './media/media.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';

@Module({})
export class AppModule {
  static create(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config, logger), AuthModule, RoomsModule, ChatModule, RealtimeModule, PlaybackModule, MediaModule, UploadsModule],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
