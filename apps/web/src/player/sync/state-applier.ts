import type { PlaybackStateView } from '@reelroom/contracts';
import type { CorrectionPolicy } from '@reelroom/sync';
import { HAVE_METADATA, type ElementController } from './element-controller';
import type { Cancel, Scheduler } from './scheduler';
import { followsSomething, planPlay, roomPositionAt, type CatchUpWindow } from './sync-math';

/**
 * Brings the element to the room state: rate, paused at the room position, a start scheduled at a
 * server instant, or joining in at the live position. Runs on every room state, when the element has
 * metadata, after a better clock estimate, and when a command of ours was refused.
 */
export class StateApplier {
  private cancelStart: Cancel | null = null;

  constructor(
    private readonly deps: {
      room(): PlaybackStateView | null;
      controller: ElementController;
      serverNow(): number;
      scheduler: Scheduler;
      catchUp: CatchUpWindow;
      policy: CorrectionPolicy;
      /** The person holds their own live (paused it): room states leave the element alone. */
      liveHeld(): boolean;
    },
  ) {}

  apply(): void {
    const { controller, policy } = this.deps;
    const v = controller.element;
    const s = this.deps.room();
    if (!v || !followsSomething(s) || v.readyState < HAVE_METADATA) return;
    if (s.liveId && this.deps.liveHeld()) return;
    this.cancelScheduledStart();
    controller.expectRate(s.rate);
    controller.setRate(s.rate);
    const tolerance = policy.alignToleranceMs / 1000;
    if (s.paused) {
      controller.pause();
      if (Math.abs(v.currentTime - s.position) > tolerance) controller.seekTo(s.position, false);
      return;
    }
    const plan = planPlay(s, this.deps.serverNow());
    if (plan.kind === 'scheduled') {
      // Hold at the start frame, then start at the server instant (converted to local time).
      controller.pause();
      if (Math.abs(v.currentTime - plan.at) > tolerance) controller.seekTo(plan.at, false);
      this.cancelStart = this.deps.scheduler.after(plan.startInMs, () => {
        this.cancelStart = null;
        this.startPlaying();
      });
      return;
    }
    this.deps.catchUp.open(this.deps.scheduler.now());
    const driftSec = v.currentTime - plan.at;
    // Joining in: a paused element seeks (aimed ahead by its seek latency); a playing one only when far
    // off, the drift loop nudges the rest.
    if (v.paused || Math.abs(driftSec) * 1000 >= policy.seekThresholdMs) {
      if (Math.abs(driftSec) > tolerance) controller.seekTo(plan.at + (v.paused ? controller.seekLatencyMs / 1000 : 0) * s.rate, false);
    }
    controller.play();
  }

  /** The person's "Resync" (on a live: "Jump to live"): straight to the room position, without waiting for a cooldown. */
  resync(): void {
    const { controller } = this.deps;
    controller.forgetLastSeek();
    const s = this.deps.room();
    if (!s || !controller.element) return;
    if (s.paused) return this.apply();
    controller.seekTo(roomPositionAt(s, this.deps.serverNow()) + (controller.seekLatencyMs / 1000) * s.rate, true);
    controller.play();
  }

  cancelScheduledStart(): void {
    this.cancelStart?.();
    this.cancelStart = null;
  }

  private startPlaying(): void {
    this.deps.catchUp.open(this.deps.scheduler.now());
    this.deps.controller.play();
  }
}
