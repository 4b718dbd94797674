import type { PlaybackStateView } from '@reelroom/contracts';
import { decideCorrection, type CorrectionPolicy } from '@reelroom/sync';
import { HAVE_FUTURE_DATA, type ElementController } from './element-controller';
import type { Cancel, Scheduler } from './scheduler';
import type { SyncStore } from './sync-store';
import type { SyncDebug } from './sync-types';
import { followsSomething, roomPositionAt, type CatchUpWindow } from './sync-math';

/** How often drift is measured and corrected; @reelroom/sync's tiers are tuned for this cadence. */
export const LOOP_MS = 250;

/**
 * Every LOOP_MS: measure the drift from the room position and act on it, with the start catch-up
 * first, then @reelroom/sync's tiers (decideCorrection), or with auto-sync off only the room rate.
 */
export class DriftLoop {
  private cancelEvery: Cancel | null = null;

  constructor(
    private readonly deps: {
      room(): PlaybackStateView | null;
      controller: ElementController;
      serverNow(): number;
      scheduler: Scheduler;
      catchUp: CatchUpWindow;
      store: SyncStore;
      debug: SyncDebug;
      policy: CorrectionPolicy;
      /** The person's own command is under way (CommandSender.pending): nothing to correct until it lands. */
      personPending(): boolean;
      /** Runs after every tick, measured or not (the status report rides on the loop). */
      afterTick(): void;
    },
  ) {}

  start(): void {
    this.stop();
    this.cancelEvery = this.deps.scheduler.every(LOOP_MS, () => {
      this.tick();
      this.deps.afterTick();
    });
  }

  stop(): void {
    this.cancelEvery?.();
    this.cancelEvery = null;
  }

  tick(): void {
    const { controller, store, debug, policy, scheduler } = this.deps;
    const v = controller.element;
    const s = this.deps.room();
    if (!v || !followsSomething(s) || this.deps.personPending()) return;
    const now = this.deps.serverNow();
    // The room's clock runs on past the end of the video (and past the converted part of one still
    // converting): nobody can be further than the element's end, so that is where the room is.
    const end = Number.isFinite(v.duration) && v.duration > 0 ? v.duration : Infinity;
    const expected = Math.min(roomPositionAt(s, now), end);
    const live = !s.paused && now > s.anchorServerTime;
    if (live && v.ended && expected >= end) {
      // Both at the end: an ended video is a state, not a drift ("66 s behind" for everyone who joined late).
      debug.driftMs = 0;
      if (store.getSnapshot().driftMs !== null) store.update({ driftMs: null });
      return;
    }
    // Never measure while a seek settles or the element waits for data: that is latency, not drift.
    if (live && !v.paused && !v.seeking && v.readyState >= HAVE_FUTURE_DATA && !controller.seekSettling) {
      const driftMs = (v.currentTime - expected) * 1000;
      debug.driftMs = driftMs;
      store.update({ driftMs });
      const { autoSync, liveHeld } = store.getSnapshot();
      // A person who paused their own live watches where they are: measured (how far behind the room), never moved.
      if (s.liveId && liveHeld) return;
      if (this.deps.catchUp.take(driftMs, scheduler.now(), autoSync)) {
        controller.seekTo(expected + (controller.seekLatencyMs / 1000) * s.rate, true);
      } else if (autoSync) {
        const c = decideCorrection(
          {
            driftMs,
            roomRate: s.rate,
            currentRate: v.playbackRate,
            now: scheduler.now(),
            lastSeekAt: controller.lastSeekAt,
            seekLatencyMs: controller.seekLatencyMs,
            expectedSec: expected,
          },
          policy,
        );
        if (c.action === 'rate') controller.setRate(c.rate);
        else if (c.action === 'seek') controller.seekTo(c.toSec, true);
      } else if (Math.abs(v.playbackRate - s.rate) > 1e-3) {
        controller.setRate(s.rate);
      }
    } else if (s.paused) {
      const driftMs = (v.currentTime - s.position) * 1000;
      debug.driftMs = driftMs;
      // Paused and close: the drift figure (and the Resync offer) goes away.
      if (store.getSnapshot().driftMs !== null && Math.abs(driftMs) < policy.seekThresholdMs) store.update({ driftMs: null });
    }
  }
}
