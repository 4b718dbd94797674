import { expectedPosition, type PlaybackState } from '@reelroom/sync';

/**
 * "Playing while converting" when the encoder is slower than real time: the room's clock would run past
 * the part that exists, every player would stall at the edge, and by the time the video is ready the
 * room would be past its end. Instead the room holds a little before the converted edge and plays on
 * once the encoder is well ahead again (or done). Pure: ConversionHoldService feeds it.
 */

/** Hold when the room is this close to the converted edge: one 2 s segment not yet published, one to spare. */
export const HOLD_MARGIN_SEC = 4;
/** Play on once this much is converted ahead of the room (or the video is ready). */
export const RESUME_LEAD_SEC = 12;
/**
 * An encoder at least this much faster than the room plays keeps the converted edge ahead of it: no hold
 * while the room is at least OUTPACED_LEAD_SEC behind the edge (issue 11: a room that starts a video as soon
 * as its first 2 s segment exists would otherwise be held at once, for about 6 s, on every upload).
 */
export const OUTPACE_FACTOR = 1.1;
export const OUTPACED_LEAD_SEC = 1;

export interface ConversionHold {
  mediaId: string;
  /** The seq of the system pause: if the room's state moved on since (someone pressed play), the hold is over. */
  pausedSeq: number;
}

export interface ConversionInput {
  playback: PlaybackState;
  hold: ConversionHold | null;
  /** The media whose conversion advanced. */
  media: { id: string; durationSec: number | null; ready: boolean };
  /** How much of it is converted, 0-100. */
  percent: number;
  /** Media seconds converted per wall second so far (EncodePace); undefined while unknown. */
  encodeSpeed?: number;
  now: number;
}

export type ConversionDecision =
  | { action: 'none' }
  | { action: 'hold'; position: number }
  | { action: 'resume' }
  /** The hold no longer applies (someone else changed playback, or another video plays): forget it. */
  | { action: 'clear' };

export function decideConversionHold(i: ConversionInput): ConversionDecision {
  const { playback, hold, media } = i;
  const duration = media.durationSec;
  const playing = playback.mediaId === media.id;
  const edge = duration ? (duration * Math.min(100, i.percent)) / 100 : 0;
  if (hold) {
    if (hold.mediaId !== media.id) return { action: 'none' }; // about another media: not ours to judge
    if (!playing || playback.seq !== hold.pausedSeq || !playback.paused) return { action: 'clear' };
    if (media.ready || !duration || edge - playback.position >= RESUME_LEAD_SEC) return { action: 'resume' };
    return { action: 'none' };
  }
  // The end of the whole video is no reason to hold: the end is the end.
  if (!playing || playback.paused || media.ready || !duration || edge >= duration) return { action: 'none' };
  const position = expectedPosition(playback, i.now);
  if (position < edge - HOLD_MARGIN_SEC) return { action: 'none' };
  const outpaced = i.encodeSpeed !== undefined && i.encodeSpeed >= playback.rate * OUTPACE_FACTOR;
  if (outpaced && position <= edge - OUTPACED_LEAD_SEC) return { action: 'none' };
  // Everyone pauses where the converted part still has room to buffer (never later than the room is now).
  return { action: 'hold', position: Math.max(0, Math.min(position, edge - HOLD_MARGIN_SEC)) };
}
