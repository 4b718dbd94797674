import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ChatModule } from '../chat/chat.module.js';
import { PlaybackModule } from '../playback/playback.module.js';
import { RoomsGateway } from './rooms.gateway.js';

@Module({
  imports: [AuthModule, RoomsModule, ChatModule, PlaybackModule],
  providers: [RoomsGateway],
  exports: [RoomsGateway],
})
export class RealtimeModule {}
