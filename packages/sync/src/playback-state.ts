import { z } from 'zod';
import type { PlaybackStateView } from '@reelroom/contracts';

/**
 * The room's playback, as the server holds it (the type lives in @reelroom/contracts, which the
 * socket events carry). Every client derives the same position from it:
 *   position(t) = paused || t < anchorServerTime ? position : position + (t - anchorServerTime) / 1000 * rate
 * `anchorServerTime` may lie in the future: play and seek are scheduled a little ahead so that every
 * client, whatever its latency, starts the same frame at the same server instant.
 */
export type PlaybackState = PlaybackStateView;

export const MIN_RATE = 0.5;
export const MAX_RATE = 2;

/** A rate the room accepts, from whatever an element reports: rounded to 1 %, within MIN_RATE..MAX_RATE. */
export const toRoomRate = (rate: number): number => Math.min(MAX_RATE, Math.max(MIN_RATE, Math.round(rate * 100) / 100));

export const initialPlaybackState = (): PlaybackState => ({
  mediaId: null,
  paused: true,
  position: 0,
  rate: 1,
  anchorServerTime: 0,
  seq: 0,
  by: null,
});

/** Where the media should be at server time `now` (seconds). */
export function expectedPosition(state: PlaybackState, now: number): number {
  if (state.paused || now <= state.anchorServerTime) return state.position;
  return state.position + ((now - state.anchorServerTime) / 1000) * state.rate;
}

const position = z
  .number()
  .finite()
  .min(0)
  .max(7 * 24 * 3600);

/** What a client may ask for. `baseSeq` is the seq the client's view was based on. */
export const playbackCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('play'), position: position.optional(), baseSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('pause'), position: position.optional(), baseSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('seek'), position, baseSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('rate'), rate: z.number().min(MIN_RATE).max(MAX_RATE), baseSeq: z.number().int().min(0) }),
  // `play`: start it for everyone at once (the web's "Play"); without it the media loads paused at 0.
  z.object({ type: z.literal('media'), mediaId: z.uuid(), play: z.boolean().optional(), baseSeq: z.number().int().min(0) }),
  // The room's live, at `position`: the live media time the switching player stood at (hls.js's live
  // sync position, its distance behind the edge), which everyone then plays from.
  z.object({ type: z.literal('live'), liveId: z.uuid(), position, baseSeq: z.number().int().min(0) }),
]);
export type PlaybackCommand = z.infer<typeof playbackCommandSchema>;

export interface ApplyOptions {
  /** Server time now, ms. */
  now: number;
  /** How far ahead to schedule play and seek (ms): covers the slowest member's one-way latency. */
  leadMs: number;
  by: { userId: string; name: string };
  /** Duration of the current media, when known: positions are clamped to it. */
  durationSec?: number | null;
}

export type ApplyResult = { ok: true; state: PlaybackState } | { ok: false; reason: 'stale' | 'no-media' | 'live' };

/**
 * The room's state machine. Pure: the server runs it inside a Redis transaction so that several API
 * processes agree. A command based on an older seq than the current one is dropped when someone else
 * made the latest change: its sender had not seen it (two people pressing pause at once produce one
 * pause, not a pause and a stale play).
 */
export function applyCommand(state: PlaybackState, cmd: PlaybackCommand, opts: ApplyOptions): ApplyResult {
  // Stale = based on a state someone ELSE changed since. A person's own quick succession (speed, then
  // play) is not a conflict: their second command was sent before the first one's reply arrived.
  if (cmd.baseSeq < state.seq && state.by?.userId !== opts.by.userId) return { ok: false, reason: 'stale' };
  // A live runs for everyone: pause, seek and speed are each person's own (their player), never the room's.
  if (state.liveId && (cmd.type === 'play' || cmd.type === 'pause' || cmd.type === 'seek' || cmd.type === 'rate'))
    return { ok: false, reason: 'live' };
  if (cmd.type !== 'media' && cmd.type !== 'live' && !state.mediaId) return { ok: false, reason: 'no-media' };
  const clamp = (p: number) => (opts.durationSec ? Math.min(Math.max(0, p), opts.durationSec) : Math.max(0, p));
  const here = clamp(expectedPosition(state, opts.now));
  const next = { ...state, seq: state.seq + 1, by: opts.by };
  switch (cmd.type) {
    case 'play':
      return {
        ok: true,
        state: { ...next, paused: false, position: clamp(cmd.position ?? here), anchorServerTime: opts.now + opts.leadMs },
      };
    case 'pause':
      return { ok: true, state: { ...next, paused: true, position: clamp(cmd.position ?? here), anchorServerTime: opts.now } };
    case 'seek':
      return {
        ok: true,
        state: { ...next, position: clamp(cmd.position), anchorServerTime: state.paused ? opts.now : opts.now + opts.leadMs },
      };
    case 'rate':
      // Re-anchor at the current position so the change of speed does not move anyone.
      return { ok: true, state: { ...next, rate: cmd.rate, position: here, anchorServerTime: opts.now } };
    case 'live':
      return {
        ok: true,
        state: {
          ...withoutLive(next),
          liveId: cmd.liveId,
          mediaId: null,
          paused: false,
          position: cmd.position,
          rate: 1,
          anchorServerTime: opts.now + opts.leadMs,
        },
      };
    case 'media':
      return {
        ok: true,
        state: {
          ...withoutLive(next),
          mediaId: cmd.mediaId,
          paused: !cmd.play,
          position: 0,
          rate: state.rate,
          anchorServerTime: cmd.play ? opts.now + opts.leadMs : opts.now,
        },
      };
  }
}

/** The state without its live (a library video replaces it). */
function withoutLive(state: PlaybackState): PlaybackState {
  const { liveId: _live, ...rest } = state;
  return rest;
}
