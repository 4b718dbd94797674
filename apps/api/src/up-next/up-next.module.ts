import { Module } from '@nestjs/common';
import { PlaybackModule } from '../playback/playback.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { PrismaUpNextRepository } from './prisma-up-next.repository.js';
import { RedisSkipVoteStore } from './redis-skip-vote.store.js';
import { SkipVoteStore } from './skip-vote.store.js';
import { UpNextRepository } from './up-next.repository.js';
import { UpNextService } from './up-next.service.js';

/** The room's "Up next" list, skips and skip votes (issue 12); its socket events live in realtime/concerns/up-next.gateway.ts. */
@Module({
  imports: [PlaybackModule, RoomsModule],
  providers: [
    { provide: UpNextRepository, useClass: PrismaUpNextRepository },
    { provide: SkipVoteStore, useClass: RedisSkipVoteStore },
    UpNextService,
  ],
  exports: [UpNextService],
})
export class UpNextModule {}
