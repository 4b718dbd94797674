import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module.js';
import { HealthController } from './health.controller.js';
import { ShutdownState } from './shutdown-state.js';

/** GET /api/health: database, Redis and the transcode queue; readiness also says when the process is shutting down. */
@Module({
  imports: [QueueModule],
  controllers: [HealthController],
  providers: [ShutdownState],
})
export class HealthModule {}
