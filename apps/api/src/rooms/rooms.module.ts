import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsRepository } from './rooms.repository.js';
import { RoomsService } from './rooms.service.js';
import { RoomMemberGuard } from './room-member.guard.js';

@Module({
  imports: [AuthModule],
  controllers: [RoomsController],
  providers: [RoomsService, RoomsRepository, RoomMemberGuard],
  exports: [RoomsService, RoomMemberGuard],
})
export class RoomsModule {}
