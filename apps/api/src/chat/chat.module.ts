import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ChatRepository } from './chat.repository.js';
import { PrismaChatRepository } from './prisma-chat.repository.js';
import { ChatService } from './chat.service.js';

/** Exports ChatService: the playback module posts its system lines through postSystem(). */
@Module({
  imports: [RoomsModule],
  providers: [ChatService, { provide: ChatRepository, useClass: PrismaChatRepository }],
  exports: [ChatService],
})
export class ChatModule {}
