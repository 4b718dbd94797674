import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module.js';
import { ChatService } from '../chat/chat.service.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { PlaybackRepository } from './playback.repository.js';
import { PrismaPlaybackRepository } from './prisma-playback.repository.js';
import { PlaybackService, SystemChat } from './playback.service.js';
import { PlaybackStore } from './playback.store.js';
import { RedisPlaybackStore } from './redis-playback.store.js';
import { PresenceLiveness } from './presence-liveness.js';
import { PresenceService } from './presence.service.js';
import { PresenceStore } from './presence.store.js';
import { RedisPresenceStore } from './redis-presence.store.js';
import { WaitStore } from './wait.store.js';
import { RedisWaitStore } from './redis-wait.store.js';
import { ConversionHoldService } from './conversion-hold.service.js';
import { ConversionHoldStore } from './conversion-hold.store.js';
import { RedisConversionHoldStore } from './redis-conversion-hold.store.js';

/**
 * Room playback state, presence, wait-for-everyone and the hold at the converted edge of a video still
 * converting. The services hold the rules; the state lives
 * behind stores (Redis, shared by every API process). The socket side delegates its playback
 * and presence events here; broadcasts go out through the RoomBroadcaster port.
 */
@Module({
  imports: [ChatModule, RoomsModule],
  providers: [
    { provide: SystemChat, useExisting: ChatService },
    { provide: PlaybackStore, useClass: RedisPlaybackStore },
    { provide: PresenceStore, useClass: RedisPresenceStore },
    { provide: WaitStore, useClass: RedisWaitStore },
    { provide: ConversionHoldStore, useClass: RedisConversionHoldStore },
    { provide: PlaybackRepository, useClass: PrismaPlaybackRepository },
    PlaybackService,
    PresenceService,
    PresenceLiveness,
    ConversionHoldService,
  ],
  exports: [PlaybackService, PresenceService, ConversionHoldService, SystemChat],
})
export class PlaybackModule {}
