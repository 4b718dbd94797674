import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { decideConversionHold } from './conversion-hold.policy.js';
import { ConversionHoldStore } from './conversion-hold.store.js';
import { EncodePace } from './encode-pace.js';
import { PlaybackRepository } from './playback.repository.js';
import { PlaybackService } from './playback.service.js';
import { PlaybackStore } from './playback.store.js';

/** A hold outlives a worker that died mid-encode by at most this long; then the room may play on. */
const HOLD_TTL_MS = 5 * 60_000;

/**
 * Holds a room that plays a video still converting a little before the converted edge, and plays on once
 * the encoder is ahead again (conversion-hold.policy.ts has the rule). Fed by the transcoder's progress
 * (TranscodeEventsListener, in every API process): the pause is conditional on the state it saw and the
 * resume on ending the hold, so several processes deciding at once act once.
 */
@Injectable()
export class ConversionHoldService {
  private readonly pace = new EncodePace();

  constructor(
    private readonly store: PlaybackStore,
    private readonly holds: ConversionHoldStore,
    private readonly repo: PlaybackRepository,
    private readonly playback: PlaybackService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The transcoder reported `percent` for the media (100 and `roomId` unknown when the job completed). */
  async mediaAdvanced(e: { mediaId: string; roomId?: string; percent: number }): Promise<void> {
    let roomId = e.roomId;
    let media = roomId ? null : await this.repo.media(e.mediaId);
    roomId ??= media?.roomId;
    if (!roomId) return;
    const now = Date.now();
    // Every report counts for the pace, from the first one: known by the time the first segment is
    // playable (about 2 s of media and 4 reports in), when a room is likely to start the video.
    const percentPerSec = e.percent >= 100 ? undefined : this.pace.observe(e.mediaId, e.percent, now);
    if (e.percent >= 100) this.pace.forget(e.mediaId);
    const [playback, hold] = await Promise.all([this.store.get(roomId), this.holds.current(roomId)]);
    // The common case, on every progress tick: this room plays something else and holds nothing.
    if (playback.mediaId !== e.mediaId && !hold) return;
    media ??= await this.repo.media(e.mediaId);
    if (!media) return;
    const encodeSpeed = percentPerSec !== undefined && media.durationSec ? (percentPerSec * media.durationSec) / 100 : undefined;
    const decision = decideConversionHold({
      playback,
      hold,
      media: { id: media.id, durationSec: media.durationSec, ready: media.status === 'ready' },
      percent: e.percent,
      encodeSpeed,
      now,
    });
    switch (decision.action) {
      case 'none':
        return;
      case 'clear':
        await this.holds.end(roomId);
        return;
      case 'hold': {
        const r = await this.playback.systemCommand(
          roomId,
          { type: 'pause', position: decision.position, baseSeq: playback.seq },
          'Waiting for the conversion to catch up…',
        );
        if (!r.ok) return;
        await this.holds.begin(roomId, { mediaId: media.id, pausedSeq: r.data.seq }, HOLD_TTL_MS);
        // The job may have completed between our read and the hold's record; its one "completed" event
        // then found no hold to end. Look once more, so the room never stays held on a ready video.
        if ((await this.repo.media(media.id))?.status === 'ready') await this.resume(roomId, r.data.seq);
        return;
      }
      case 'resume':
        await this.resume(roomId, playback.seq);
        return;
    }
  }

  private async resume(roomId: string, heldSeq: number): Promise<void> {
    if (!(await this.holds.end(roomId))) return;
    const r = await this.playback.systemCommand(roomId, { type: 'play', baseSeq: heldSeq }, 'Converted far enough: playing');
    if (!r.ok) this.logger.debug({ roomId, error: r.error }, 'conversion hold: resume dropped');
  }
}
