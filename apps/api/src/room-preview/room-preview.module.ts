import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PlaybackModule } from '../playback/playback.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { RoomPreviewController } from './room-preview.controller.js';

/** The join page's preview of a room (rooms for who may see it, presence for how many watch). */
@Module({
  imports: [AuthModule, RoomsModule, PlaybackModule],
  controllers: [RoomPreviewController],
})
export class RoomPreviewModule {}
