import type { PlaybackState } from '@reelroom/sync';

export type UpdateResult<R> = { changed: true; state: PlaybackState; result: R } | { changed: false; state: PlaybackState; result: R };

/**
 * Each room's PlaybackState, shared by every API process (RedisPlaybackStore). PlaybackService holds the
 * rules and talks only to this port, so its unit spec passes an in-memory store.
 */
export abstract class PlaybackStore {
  /** The room's state, or the initial one (nothing picked, paused at 0) when there is none. */
  abstract get(roomId: string): Promise<PlaybackState>;

  /**
   * Applies `fn` atomically: `fn` returns the next state (or null to leave it) plus any result.
   * When another writer got in between, `fn` runs again on the new state: it must be pure.
   */
  abstract update<R>(roomId: string, fn: (cur: PlaybackState) => { next: PlaybackState | null; result: R }): Promise<UpdateResult<R>>;
}
