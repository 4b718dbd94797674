import type { RoomRole } from '@reelroom/contracts';
import { expectedPosition, type PlaybackState } from '@reelroom/sync';

/** The pure rules of "Up next": who manages it, how many votes skip, when the playing item has ended. */

export const QUEUE_MANAGERS_ONLY = 'Only the host and moderators can change Up next in this room.';
export const QUEUE_FULL = 'Up next is full (100 items). Remove some before adding more.';
export const QUEUE_EMPTY = 'Nothing is up next.';
export const NOT_IN_ROOM = 'This video is not in this room.';
export const MEDIA_FAILED = 'This video could not be converted, so it cannot be queued.';
export const NO_SUCH_ITEM = 'This item is no longer in Up next.';
export const PLAYING_CHANGED = 'What is playing changed just before that; look again.';
export const VOTES_OFF = 'This room does not take skip votes.';
export const SKIP_NOT_ALLOWED = 'Only the host and moderators can skip in this room.';

/** Host and moderators always; everyone when the host opened the queue. */
export const canManageQueue = (role: RoomRole | null, queueOpen: boolean): boolean =>
  role === 'host' || role === 'moderator' || (role !== null && queueOpen);

/** A majority of the people in the room now (1 of 1, 2 of 2, 2 of 3, 3 of 4). */
export const votesNeeded = (present: number): number => Math.floor(Math.max(1, present) / 2) + 1;

/**
 * How close to the end counts as the end (s): the last segment of a rendition may end a little before the
 * probed duration, and an element that ended reports it at most every 500 ms.
 */
export const END_SLACK_SEC = 0.3;

/** True when the room's playing item has reached its end by the server's clock (not a client's word). */
export function hasEnded(state: PlaybackState, durationSec: number | null, now: number): boolean {
  if (!state.mediaId || state.paused || !durationSec) return false;
  return expectedPosition(state, now) >= durationSec - END_SLACK_SEC;
}

/** Server time (ms) at which the playing item ends, or null when it is paused or its length is unknown. */
export function endsAt(state: PlaybackState, durationSec: number | null): number | null {
  if (!state.mediaId || state.paused || !durationSec) return null;
  const start = Math.max(state.anchorServerTime, 0);
  return start + ((durationSec - END_SLACK_SEC - state.position) / state.rate) * 1000;
}
