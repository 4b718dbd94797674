import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RealtimeHub } from '../realtime/realtime-hub.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsRepository } from './rooms.repository.js';
import { RoomsService } from './rooms.service.js';
import { RoomMemberGuard } from './room-member.guard.js';
import { LimitStore, RoomEvents } from './room-events.js';
import { RedisLimits } from './redis-limits.js';

@Module({
  imports: [AuthModule],
  controllers: [RoomsController],
  providers: [
    RoomsService,
    RoomsRepository,
    RoomMemberGuard,
    RedisLimits,
    { provide: LimitStore, useExisting: RedisLimits },
    // The hub lives here (not in RealtimeModule) so RoomsService can reach sockets without a module cycle.
    RealtimeHub,
    { provide: RoomEvents, useExisting: RealtimeHub },
  ],
  exports: [RoomsService, RoomMemberGuard, RedisLimits, RealtimeHub],
})
export class RoomsModule {}
