import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MediaModule } from '../media/media.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { AdminController } from './admin.controller.js';

/** The admin console's API (/api/admin/*); Bull Board is mounted in main.ts (plain Express, before the web app). */
@Module({
  imports: [AuthModule, MediaModule, QueueModule],
  controllers: [AdminController],
})
export class AdminModule {}
