import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { RealtimeHub } from '../realtime/realtime-hub.js';
import { ChatEvents } from './chat.events.js';
import { ChatRepository } from './chat.repository.js';
import { ChatService } from './chat.service.js';

/** Exports ChatService: the playback module posts its system lines through postSystem(). */
@Module({
  imports: [RoomsModule],
  providers: [ChatService, ChatRepository, { provide: ChatEvents, useExisting: RealtimeHub }],
  exports: [ChatService],
})
export class ChatModule {}
