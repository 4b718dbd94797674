import type { WaitState } from './playback.policy.js';

/**
 * "Wait for everyone" state per room, shared by every API process (RedisWaitStore): the wait in progress
 * (the room was paused because someone stalls) and the cooldown after one ended.
 */
export abstract class WaitStore {
  abstract current(roomId: string): Promise<{ wait: WaitState | null; coolingDown: boolean }>;
  /** Records the wait that just paused the room; it expires by itself after `ttlMs`. */
  abstract begin(roomId: string, wait: WaitState, ttlMs: number): Promise<void>;
  /**
   * Ends the room's wait. True only for the one caller that ended it: of several processes deciding to
   * resume at once, only that one resumes.
   */
  abstract end(roomId: string): Promise<boolean>;
  /** No new wait in this room for `ms`. */
  abstract coolDown(roomId: string, ms: number): Promise<void>;
}
