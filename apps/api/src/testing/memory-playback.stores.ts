import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import type { ConversionHold } from '../playback/conversion-hold.policy.js';
import type { ConversionHoldStore } from '../playback/conversion-hold.store.js';
import type { PlaybackStore, UpdateResult } from '../playback/playback.store.js';
import type { WaitState } from '../playback/playback.policy.js';
import type { WaitStore } from '../playback/wait.store.js';

/** PlaybackStore in memory: each update reads and writes in one step, as the Redis transaction does. */
export class MemoryPlaybackStore implements PlaybackStore {
  readonly states = new Map<string, PlaybackState>();

  async get(roomId: string): Promise<PlaybackState> {
    return this.states.get(roomId) ?? initialPlaybackState();
  }

  async update<R>(roomId: string, fn: (cur: PlaybackState) => { next: PlaybackState | null; result: R }): Promise<UpdateResult<R>> {
    const cur = this.states.get(roomId) ?? initialPlaybackState();
    const { next, result } = fn(cur);
    if (!next) return { changed: false, state: cur, result };
    this.states.set(roomId, next);
    return { changed: true, state: next, result };
  }
}

/** WaitStore in memory; TTLs are recorded, not enforced. */
export class MemoryWaitStore implements WaitStore {
  readonly waits = new Map<string, WaitState>();
  readonly cooling = new Set<string>();

  async current(roomId: string): Promise<{ wait: WaitState | null; coolingDown: boolean }> {
    return { wait: this.waits.get(roomId) ?? null, coolingDown: this.cooling.has(roomId) };
  }

  async begin(roomId: string, wait: WaitState): Promise<void> {
    this.waits.set(roomId, wait);
  }

  async end(roomId: string): Promise<boolean> {
    return this.waits.delete(roomId);
  }

  async coolDown(roomId: string): Promise<void> {
    this.cooling.add(roomId);
  }
}

/** ConversionHoldStore in memory; TTLs are not enforced. */
export class MemoryConversionHoldStore implements ConversionHoldStore {
  readonly holds = new Map<string, ConversionHold>();

  async current(roomId: string): Promise<ConversionHold | null> {
    return this.holds.get(roomId) ?? null;
  }

  async begin(roomId: string, hold: ConversionHold): Promise<void> {
    this.holds.set(roomId, hold);
  }

  async end(roomId: string): Promise<boolean> {
    return this.holds.delete(roomId);
  }
}
