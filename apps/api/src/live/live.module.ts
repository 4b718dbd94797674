import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MediaModule } from '../media/media.module.js';
import { PlaybackModule } from '../playback/playback.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { LiveController } from './live.controller.js';
import { LiveEventsListener } from './live-events.listener.js';
import { LiveIngest } from './live-ingest.js';
import { KeyBell, RedisKeyBell } from './live-key-bell.js';
import { LiveRepository } from './live.repository.js';
import { LIVE_OPTIONS, LiveService, type LiveOptions } from './live.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LiveStates } from './live-states.js';
import { PrismaLiveRepository } from './prisma-live.repository.js';
import { RtmpIngest } from './rtmp-ingest.js';
import { startFfmpegRelay } from './browser/ffmpeg-relay.js';
import { PUBLISH_LIMITS } from './browser/publish-session.js';
import { BrowserPublishServer, PUBLISH_SESSION_LIMITS, RELAY_STARTER } from './browser/publish.server.js';
import { WhipController } from './whip/whip.controller.js';
import { WhipEncoderController } from './whip/whip-encoder.controller.js';
import { startWhipSession, WHIP_SESSION_STARTER, WhipServer } from './whip/whip.server.js';

/**
 * Live streaming: RTMP ingest (node-media-server behind the LiveIngest port), going live from the browser
 * (WHIP, or the recorder WebSocket, each relayed into that same ingest), stream keys, the live state
 * machine, the live queue's doorbell. Exports LiveStates (the join snapshot) and LiveRepository (HLS access
 * to a live's files).
 */
@Module({
  imports: [AuthModule, RoomsModule, QueueModule, MediaModule, PlaybackModule],
  controllers: [LiveController, WhipController, WhipEncoderController],
  providers: [
    LiveService,
    {
      provide: LIVE_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig): LiveOptions => ({ reconnectGraceMs: c.liveReconnectGraceMs }),
    },
    { provide: LiveStates, useExisting: LiveService },
    { provide: LiveRepository, useClass: PrismaLiveRepository },
    { provide: LiveIngest, useClass: RtmpIngest },
    { provide: KeyBell, useClass: RedisKeyBell },
    LiveEventsListener,
    BrowserPublishServer,
    { provide: RELAY_STARTER, useValue: startFfmpegRelay },
    {
      provide: PUBLISH_SESSION_LIMITS,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({ ...PUBLISH_LIMITS, stallMs: c.browserLiveStallMs }),
    },
    WhipServer,
    { provide: WHIP_SESSION_STARTER, useValue: startWhipSession },
  ],
  exports: [LiveStates, LiveRepository],
})
export class LiveModule {}
