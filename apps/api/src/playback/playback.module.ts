import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module.js';
import { ChatService } from '../chat/chat.service.js';
import { PlaybackRedis } from './redis-keys.js';
import { PlaybackStore } from './playback.store.js';
import { PlaybackRepository } from './playback.repository.js';
import { PlaybackService, SystemChat } from './playback.service.js';
import { PresenceService } from './presence.service.js';
import { RoomBroadcast } from './room-broadcast.js';

/** Room playback state (Redis), presence, wait-for-everyone. The gateway delegates its sync events here. */
@Module({
  imports: [ChatModule],
  providers: [{ provide: SystemChat, useExisting: ChatService }, PlaybackRedis, PlaybackStore, PlaybackRepository, PlaybackService, PresenceService, RoomBroadcast],
  exports: [PlaybackService, PresenceService, RoomBroadcast],
})
export class PlaybackModule {}
