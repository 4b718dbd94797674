import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { LiveModule } from '../live/live.module.js';
import { MediaModule } from '../media/media.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { SubtitlesModule } from '../subtitles/subtitles.module.js';
import { HlsAccess } from './hls-access.js';
import { CastController } from './cast.controller.js';
import { HlsController } from './hls.controller.js';
import { PlaylistWaits } from './playlist-waits.js';

/** HLS file serving at /media/<mediaId>/... (and casting URLs for it): reads the store, asks the room-access policy. */
@Module({
  imports: [AuthModule, RoomsModule, MediaModule, LiveModule, StorageModule, SubtitlesModule],
  controllers: [CastController, HlsController],
  providers: [HlsAccess, PlaylistWaits],
})
export class HlsModule {}
