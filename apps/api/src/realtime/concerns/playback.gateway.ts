import { Inject, Injectable, Optional } from '@nestjs/common';
import { z } from 'zod';
import { timePingSchema } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { PlaybackService, type PlaybackCaller } from '../../playback/playback.service.js';
import { LimitStore } from '../../rooms/limit.store.js';
import { UpNextService } from '../../up-next/up-next.service.js';
import type { ClientSocket } from '../client-socket.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

export const PLAYBACK_SLOW_DOWN = 'You are changing playback too fast. Slow down.';

/**
 * Playback on the socket: clock pings, playback commands and player reports, applied by PlaybackService
 * (which validates commands and reports against @reelroom/sync's and the contracts' schemas itself, so
 * that a bad one gets its own sentence). Commands are rate-limited per person (PLAYBACK_BURST, then
 * PLAYBACK_PER_SEC): each applied one is broadcast and written to chat.
 */
@Injectable()
export class PlaybackGateway extends SocketConcern {
  constructor(
    private readonly playback: PlaybackService,
    private readonly limits: LimitStore,
    private readonly events: SocketEvents,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'playbackBurst' | 'playbackPerSec'>,
    // Up next moves on when the playing item ends (absent in unit specs of playback alone).
    @Optional() private readonly queue?: UpNextService,
  ) {
    super();
  }

  bind(socket: ClientSocket): void {
    const caller = (): PlaybackCaller => ({ userId: socket.data.auth.user.id, name: socket.data.auth.user.displayName });

    // Clock sync: answered at once, before anything else (the round trip is the measurement). A malformed
    // ping gets the generic error reply instead. The best round trip it carries feeds the scheduling lead.
    this.events.on(socket, 'time:ping', timePingSchema, async ({ t0, rttMs }, reply) => {
      reply({ t0, serverTime: Date.now() });
      const roomId = socket.data.roomId;
      if (roomId && rttMs !== undefined) await this.playback.reportRtt([roomId], socket.data.auth.user.id, rttMs);
    });
    this.events.on(socket, 'sync:command', z.unknown(), async (payload, reply) => {
      const roomId = currentRoom(socket);
      // Per person (all their tabs, every API process): a token bucket of PLAYBACK_BURST, then PLAYBACK_PER_SEC.
      const bucket = await this.limits.take(`playback:${socket.data.auth.user.id}`, this.config.playbackBurst, this.config.playbackPerSec);
      if (!bucket.ok) return reply({ ok: false, error: PLAYBACK_SLOW_DOWN, retryAfterMs: bucket.retryAfterMs });
      const r = await this.playback.command(caller(), roomId, payload);
      if (r.ok) return reply(r);
      if (r.state) socket.emit('sync:state', r.state); // a stale sender catches up at once
      reply({ ok: false, error: r.error });
    });
    this.events.on(socket, 'player:status', z.unknown(), async (payload) => {
      const roomId = socket.data.roomId;
      if (!roomId) return;
      await this.playback.playerStatus(caller(), roomId, payload);
      // A report is the occasion to look whether the playing item ended (the server decides, by its clock).
      await this.queue?.onPlayerReport(roomId);
    });
  }
}
