import type { QueueItemView } from '@reelroom/contracts';

/** A queue item with what the rules need: who added it (they may remove it again). */
export interface QueueItemRecord {
  id: string;
  mediaId: string;
  name: string;
  addedById: string | null;
}

/** A media item as the queue checks it: in this room, and not failed. */
export interface QueueMediaRecord {
  id: string;
  originalName: string;
  status: string;
  durationSec: number | null;
}

export type AddResult = { kind: 'added'; item: QueueItemRecord } | { kind: 'full' };

/**
 * The room's "Up next" rows (PrismaUpNextRepository). Every change runs under the room's row lock and
 * keeps positions dense (0..n-1), so concurrent adds, moves and removals never leave gaps or duplicates,
 * and the limit holds under concurrency (count and insert under the same lock).
 */
export abstract class UpNextRepository {
  /** The list in play order, with media names and the adders' names. */
  abstract list(roomId: string): Promise<QueueItemView[]>;
  /** The media when it belongs to the room's library (null otherwise). */
  abstract mediaInRoom(roomId: string, mediaId: string): Promise<QueueMediaRecord | null>;
  abstract durationSec(mediaId: string): Promise<number | null>;
  /** Appends the media, unless the room already holds `max` items. */
  abstract add(roomId: string, mediaId: string, addedById: string, max: number): Promise<AddResult>;
  abstract item(roomId: string, itemId: string): Promise<QueueItemRecord | null>;
  /** Moves the item to `index` (clamped to the list); false when it is not in the room's queue. */
  abstract move(roomId: string, itemId: string, index: number): Promise<boolean>;
  /** Removes the item; false when it was not there (someone else removed it, or it was played). */
  abstract remove(roomId: string, itemId: string): Promise<boolean>;
  /** The first item that can play now (still-converting videos wait their turn without blocking others). */
  abstract next(roomId: string): Promise<QueueItemRecord | null>;
}
