import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LL_PLAYLIST_CHANNEL } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import type { PlaylistBell } from '../llhls/ll-live-output.js';
import { RedisConnections } from './redis-connections.js';

/** PlaylistBell across processes: PUBLISH of the playlist's key; the API's waiting reloads re-read it. */
@Injectable()
export class RedisPlaylistBell implements PlaylistBell {
  private redis?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(TRANSCODER_CONFIG) config: TranscoderConfig,
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.channel = `${config.queuePrefix}:${LL_PLAYLIST_CHANNEL}`;
  }

  ring(playlistKey: string): void {
    this.redis ??= this.connections.open('ll-playlist-bell', 'command');
    // A lost ring only delays a waiting player until the API's own re-read: log, never fail the live.
    this.redis.publish(this.channel, playlistKey).catch((err: unknown) => this.logger.warn({ err }, 'could not ring the playlist bell'));
  }
}
