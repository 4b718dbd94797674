import type { PlaybackStateView } from '@reelroom/contracts';

/** What the player's UI shows of the sync: read through useSyncExternalStore. */
export interface SyncSnapshot {
  state: PlaybackStateView | null;
  driftMs: number | null;
  autoSync: boolean;
  noWait: boolean;
  /** The browser refused to start playback without a click (autoplay policy). */
  blocked: boolean;
  lastError: string | null;
  /** Whether this person may control the room's playback now (their role and the room's lock). */
  canControl: boolean;
  /**
   * On a live: this person paused (or changed the speed of) their own player, so it no longer follows the
   * room's live position until "Jump to live" (SyncEngine.resync). A live is never paused for the room.
   */
  liveHeld: boolean;
}

export const INITIAL_SNAPSHOT: SyncSnapshot = {
  state: null,
  driftMs: null,
  autoSync: true,
  noWait: false,
  blocked: false,
  lastError: null,
  canControl: true,
  liveHeld: false,
};

// Every field once: a field added to SyncSnapshot does not compile until it is listed here.
const FIELDS: { [K in keyof SyncSnapshot]: K } = {
  state: 'state',
  driftMs: 'driftMs',
  autoSync: 'autoSync',
  noWait: 'noWait',
  blocked: 'blocked',
  lastError: 'lastError',
  canControl: 'canControl',
  liveHeld: 'liveHeld',
};

/**
 * The sync engine's state for React, in the shape useSyncExternalStore wants: an immutable snapshot that
 * changes identity only when a value changed (the drift loop reports every 250 ms; an unchanged report
 * must not re-render the player).
 */
export class SyncStore {
  private snap: SyncSnapshot = INITIAL_SNAPSHOT;
  private readonly listeners = new Set<() => void>();

  readonly getSnapshot = (): SyncSnapshot => this.snap;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  update(patch: Partial<SyncSnapshot>): void {
    const next = { ...this.snap, ...patch };
    if (Object.values(FIELDS).every((k) => Object.is(next[k], this.snap[k]))) return;
    this.snap = next;
    for (const l of this.listeners) l();
  }
}
