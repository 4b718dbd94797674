import type { PlaybackStateView, PlayerStatus } from '@reelroom/contracts';
import { HAVE_FUTURE_DATA, type MediaElement } from './element-controller';
import type { Cancel, Scheduler } from './scheduler';
import type { SyncStore } from './sync-store';
import { followsSomething } from './sync-math';
import type { SyncTransport } from './sync-types';

/** A change is reported right away, but not more often than this... */
const MIN_GAP_MS = 500;
/** ...and with no change, this often (presence shows it; "wait for everyone" acts on it). */
const EVERY_MS = 2_000;

export function playerStateOf(el: MediaElement | null, room: PlaybackStateView | null): PlayerStatus['state'] {
  if (!el || !followsSomething(room)) return 'idle';
  return elementStateOf(el);
}

/** The element's own state, for a player that plays something (with or without the room's engine). */
export function elementStateOf(el: MediaElement): PlayerStatus['state'] {
  if (el.ended) return 'ended';
  if (el.readyState < HAVE_FUTURE_DATA) return 'buffering';
  return el.paused ? 'paused' : 'playing';
}

/** player:status: on a change right away (but at most every MIN_GAP_MS), otherwise every EVERY_MS. */
export class StatusReporter {
  private last = { at: Number.NEGATIVE_INFINITY, key: '' };
  private cancelPending: Cancel | null = null;

  constructor(
    private readonly deps: {
      send: SyncTransport['status'];
      playerState(): PlayerStatus['state'];
      /** The drift to report (ms; null: none measured, reported as 0). */
      driftMs(): number | null;
      store: SyncStore;
      scheduler: Scheduler;
    },
  ) {}

  /** `changedHint`: something happened that may change the status (element events, settings). */
  report(changedHint: boolean): void {
    const { store, scheduler } = this.deps;
    const state = this.deps.playerState();
    const snap = store.getSnapshot();
    const key = `${state}|${snap.noWait}`;
    const now = scheduler.now();
    const changed = key !== this.last.key || changedHint;
    if (now - this.last.at < (changed ? MIN_GAP_MS : EVERY_MS)) {
      // Too soon after the last report: a real change goes out as soon as the gap allows.
      if (changed && key !== this.last.key && !this.cancelPending) {
        this.cancelPending = scheduler.after(MIN_GAP_MS, () => {
          this.cancelPending = null;
          this.report(true);
        });
      }
      return;
    }
    this.last = { at: now, key };
    this.deps.send({ state, driftMs: Math.round(this.deps.driftMs() ?? 0), noWait: snap.noWait });
  }

  stop(): void {
    this.cancelPending?.();
    this.cancelPending = null;
  }
}
