import { z } from 'zod';

/** The most items a room's "Up next" list holds (a queue is a plan for the evening, not a catalogue). */
export const QUEUE_MAX_ITEMS = 100;

/** Add a library item of the room to the end of "Up next" (queue:add). */
export const queueAddSchema = z.object({ mediaId: z.uuid() });
/** Move an item to a 0-based index of the list (queue:move); an index past the end moves it last. */
export const queueMoveSchema = z.object({ itemId: z.uuid(), index: z.number().int().min(0).max(QUEUE_MAX_ITEMS) });
export const queueRemoveSchema = z.object({ itemId: z.uuid() });
/**
 * Skip (controllers): `mediaId` is what the caller saw playing (null: nothing, "Play next"), so that two
 * quick clicks skip once. A vote (members, when the room takes votes) names what it votes against.
 */
export const queueSkipSchema = z.object({ mediaId: z.uuid().nullable() });
export const queueVoteSchema = z.object({ mediaId: z.uuid() });
export const queueGetSchema = z.object({});

export interface QueueItemView {
  id: string;
  mediaId: string;
  name: string;
  durationSec: number | null;
  /** False while the video still converts: the queue passes over it until it can play. */
  playable: boolean;
  addedBy: { userId: string; name: string } | null;
}

/** A skip vote on what is playing: `needed` is a majority of the people in the room now. */
export interface SkipVoteView {
  mediaId: string;
  votes: number;
  needed: number;
  voterIds: string[];
}

/** The room's "Up next" list in play order, and the skip vote on the playing item (null: nobody voted). */
export interface QueueView {
  items: QueueItemView[];
  vote: SkipVoteView | null;
}
