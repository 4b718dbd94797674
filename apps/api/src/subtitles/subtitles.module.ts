import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MediaModule } from '../media/media.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { PrismaSubtitlesRepository } from './prisma-subtitles.repository.js';
import { SubtitleRenditions } from './subtitle-renditions.js';
import { SubtitlesController } from './subtitles.controller.js';
import { SubtitlesRepository } from './subtitles.repository.js';
import { SubtitlesService } from './subtitles.service.js';

/**
 * Subtitle tracks (issue 12): the REST routes, and SubtitleRenditions for the HLS module, which adds the
 * tracks to the master it serves and serves their playlists. Uses media's access rules (MediaService).
 */
@Module({
  imports: [AuthModule, MediaModule, StorageModule],
  controllers: [SubtitlesController],
  providers: [SubtitlesService, SubtitleRenditions, { provide: SubtitlesRepository, useClass: PrismaSubtitlesRepository }],
  exports: [SubtitleRenditions],
})
export class SubtitlesModule {}
