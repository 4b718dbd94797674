import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { timePingSchema } from '@reelroom/contracts';
import { PlaybackService, type PlaybackCaller } from '../../playback/playback.service.js';
import type { ClientSocket } from '../client-socket.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

/**
 * Playback on the socket: clock pings, playback commands and player reports, applied by PlaybackService
 * (which validates commands and reports against @reelroom/sync's and the contracts' schemas itself, so
 * that a bad one gets its own sentence).
 */
@Injectable()
export class PlaybackGateway extends SocketConcern {
  constructor(
    private readonly playback: PlaybackService,
    private readonly events: SocketEvents,
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
      const r = await this.playback.command(caller(), currentRoom(socket), payload);
      if (r.ok) return reply(r);
      if (r.state) socket.emit('sync:state', r.state); // a stale sender catches up at once
      reply({ ok: false, error: r.error });
    });
    this.events.on(socket, 'player:status', z.unknown(), async (payload) => {
      const roomId = socket.data.roomId;
      if (roomId) await this.playback.playerStatus(caller(), roomId, payload);
    });
  }
}
