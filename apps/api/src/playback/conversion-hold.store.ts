import type { ConversionHold } from './conversion-hold.policy.js';

/** The room's conversion hold, shared by every API process (RedisConversionHoldStore). */
export abstract class ConversionHoldStore {
  abstract current(roomId: string): Promise<ConversionHold | null>;
  /** Records the hold that just paused the room; it expires by itself after `ttlMs` (a worker that died). */
  abstract begin(roomId: string, hold: ConversionHold, ttlMs: number): Promise<void>;
  /** Ends the hold. True only for the one caller that ended it: of several processes, only that one resumes. */
  abstract end(roomId: string): Promise<boolean>;
}
