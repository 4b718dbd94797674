import { DEFAULT_POLICY, decideCorrection, type Correction, type CorrectionPolicy } from '@reelroom/sync';

/**
 * Holding a low-latency live at the room's distance behind the edge (issue 8: "everyone plays at the same
 * distance from the live edge, within the watch party's drift goal").
 *
 * A low-latency playlist is a short sliding window, so viewers' currentTime cannot be compared (each
 * counts from the first segment it loaded) and the room's position cannot be followed as in standard
 * mode. But every viewer sees the same edge (blocking playlist reloads deliver each part to everyone as
 * it is cut), so "the same distance behind the edge" is the same picture for everyone. hls.js's own
 * catch-up cannot hold that: it only ever speeds up (a viewer that starts or lands ahead of its target
 * stays ahead for good), and its rate moves in 5 % steps. This is the video sync's correction core
 * (@reelroom/sync's tiers) applied to the distance from the edge: slower when nearer the edge than the
 * target, faster when further, a seek when far off.
 */

/** How often the distance is measured and corrected (the video sync's cadence, drift-loop.ts). */
export const HOLD_EVERY_MS = 250;

/**
 * The video sync's tiers with three changes for a live:
 * - a wider dead band: the edge estimate (the playlist's last part plus the time since it arrived) moves
 *   by tens of milliseconds with each part's arrival, which a 25 ms band would chase;
 * - catch-up up to 10 %: after a stall the viewer is a second or more behind, which 5 % closes only in
 *   20 s (hls.js's own catch-up goes up to 1.5x; pitch is preserved by the browser);
 * - a seek only beyond 2.5 s (a paused viewer resuming, a long stall): below it, a rate change is
 *   invisible and a seek in a live costs a rebuffer.
 */
export const LIVE_LATENCY_POLICY: CorrectionPolicy = { ...DEFAULT_POLICY, deadbandMs: 40, maxNudge: 0.1, seekThresholdMs: 2500 };

/**
 * The median of the last measures of the distance (2 s at HOLD_EVERY_MS): the edge estimate jumps by up
 * to a part with each playlist update; the median of a few keeps one late or early part from moving the
 * rate. Cleared after a seek (its measures are of another place).
 */
export class DistanceWindow {
  private samples: number[] = [];

  constructor(private readonly size = 8) {}

  add(sec: number): void {
    if (!Number.isFinite(sec)) return;
    this.samples.push(sec);
    if (this.samples.length > this.size) this.samples.shift();
  }

  clear(): void {
    this.samples = [];
  }

  /** null until half the window is filled: one measure right after a seek or a start is not a trend. */
  get median(): number | null {
    if (this.samples.length * 2 < this.size) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}

export interface HoldInput {
  /** How far behind the edge this player is (s, smoothed). */
  distanceSec: number;
  /** Where it should be (s): the room's target, plus what stalls on this player added (restoredTarget). */
  targetSec: number;
  currentTime: number;
  currentRate: number;
  now: number;
  /** When this hold last seeked (ms), or -Infinity. */
  lastSeekAt: number;
}

/** Positive: nearer the edge than the target (ahead of the room), as the video sync's drift. */
export const distanceDriftMs = (distanceSec: number, targetSec: number): number => (targetSec - distanceSec) * 1000;

/** What to do about this player's distance from the edge: nothing, a rate, or a seek to the target. */
export function holdDistance(i: HoldInput, policy: CorrectionPolicy = LIVE_LATENCY_POLICY): Correction {
  const driftMs = distanceDriftMs(i.distanceSec, i.targetSec);
  return decideCorrection(
    {
      driftMs,
      roomRate: 1,
      currentRate: i.currentRate,
      now: i.now,
      lastSeekAt: i.lastSeekAt,
      // A live seek lands where data is (parts are already buffered up to the edge): no lead to add.
      seekLatencyMs: 0,
      expectedSec: i.currentTime - driftMs / 1000,
    },
    policy,
  );
}

/**
 * A person who paused on their own (issue 8: "pausing a live is per person, with Jump to live") plays on
 * from where they paused, with no correction, until "Jump to live" or until the player is back within
 * this of the target by itself (hls.js jumped it to the edge when their place was about to leave the
 * playlist's window): then it is with the room again.
 */
export const REJOIN_MS = 250;
export const rejoins = (driftMs: number): boolean => Math.abs(driftMs) < REJOIN_MS;

/**
 * How near hls.js's live sync position a person's seek must land to count as going back to live:
 * Vidstack's own rule (a seek 2 s or more from its seekable end, which is that position, puts the person
 * "behind the live edge").
 */
export const LIVE_EDGE_SEEK_SEC = 2;
/** Whether a place `offSec` from hls.js's live sync position is at the live edge (the window bar's LIVE too). */
export const nearLiveEdge = (offSec: number): boolean => Math.abs(offSec) < LIVE_EDGE_SEEK_SEC;
/** Whether a person's seek to `toSec` goes back to the live edge (`edgeSec`: hls.js's live sync position, null: unknown). */
export const atLiveEdge = (toSec: number, edgeSec: number | null): boolean =>
  edgeSec !== null && Number.isFinite(toSec) && nearLiveEdge(edgeSec - toSec);
