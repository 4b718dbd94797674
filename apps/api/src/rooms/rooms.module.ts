import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsRepository } from './rooms.repository.js';
import { PrismaRoomsRepository } from './prisma-rooms.repository.js';
import { RoomsService } from './rooms.service.js';
import { RoomMemberGuard } from './room-member.guard.js';
import { RoomAccessPolicy } from './room-access.policy.js';
import { LimitStore } from './limit.store.js';
import { RedisLimitStore } from './redis-limit.store.js';
import { RoomBlocks } from './room-blocks.js';
import { PrismaRoomBlocks } from './prisma-room-blocks.js';

/**
 * Rooms, memberships and the one room-access rule. Exports what other features build on: the policy
 * (chat, media, playback, uploads, HLS, sockets), the REST guard, and the shared limit store (chat's
 * per-user bucket). Reaches sockets only through the RoomBroadcaster port (bound globally by realtime).
 */
@Module({
  imports: [AuthModule],
  controllers: [RoomsController],
  providers: [
    RoomsService,
    { provide: RoomsRepository, useClass: PrismaRoomsRepository },
    RoomAccessPolicy,
    RoomMemberGuard,
    { provide: LimitStore, useClass: RedisLimitStore },
    { provide: RoomBlocks, useClass: PrismaRoomBlocks },
  ],
  exports: [RoomsService, RoomAccessPolicy, RoomMemberGuard, LimitStore],
})
export class RoomsModule {}
