/**
 * Drift correction in tiers. The anchors either tolerate 0.5-2 s of drift (CyTube, OTT, Syncplay) or
 * correct so eagerly that playback stutters (Jellyfin switched its correction off, jellyfin-web#5003).
 * We aim for tens of milliseconds without audible artefacts:
 *  - |drift| under `deadbandMs`: nothing (the measurement itself is about this noisy);
 *  - up to `seekThresholdMs`: a gentle playbackRate nudge proportional to the drift, capped at
 *    +/-`maxNudge` (5 % is below what people hear as a pitch change with the browser's pitch correction),
 *    sized to close the gap in about `catchUpSec`;
 *  - beyond: a seek, aimed ahead by the measured seek latency so the seek lands on time;
 *  - after a seek, a cooldown, and the seek's own settling time is never counted as drift
 *    (a Jellyfin client looped forever doing that, Moonfin#1157).
 * drift = local position - expected position (positive: we are ahead).
 */
export interface CorrectionPolicy {
  deadbandMs: number;
  seekThresholdMs: number;
  maxNudge: number;
  catchUpSec: number;
  seekCooldownMs: number;
  /** Once nudging, stop only when the drift is this small (hysteresis, avoids rate flapping). */
  settleMs: number;
  /**
   * Paused, or holding for a scheduled start: the element is moved to the room position only when it is
   * further than this from it (a seek to where the element already is would only flash a spinner).
   */
  alignToleranceMs: number;
  /** Start catch-up (see shouldCatchUp): how long after a start it may fire, and the drift beyond which it does. */
  startCatchUpWindowMs: number;
  startCatchUpThresholdMs: number;
  /**
   * The "N s behind · Resync" offer. With auto-sync on it shows where correction would seek anyway
   * (`seekThresholdMs`); with auto-sync off nothing corrects, so it shows from this smaller drift.
   */
  manualResyncHintMs: number;
}

// deadbandMs: two pages at opposite edges of the dead band are 2 x deadband apart, so it must stay
// under half the spread we promise (median < 50 ms). With 40 ms, bench/sync showed one page parked at
// -36 ms while the others ran +15 ms: a 55 ms plateau after a seek. 25 ms keeps the worst pair at 50.
export const DEFAULT_POLICY: CorrectionPolicy = {
  deadbandMs: 25,
  seekThresholdMs: 1500,
  maxNudge: 0.05,
  catchUpSec: 3,
  seekCooldownMs: 1500,
  settleMs: 10,
  alignToleranceMs: 40,
  startCatchUpWindowMs: 4000,
  startCatchUpThresholdMs: 120,
  manualResyncHintMs: 500,
};

export interface CorrectionInput {
  driftMs: number;
  /** The room's rate; nudges are relative to it. */
  roomRate: number;
  /** The rate the element plays at now. */
  currentRate: number;
  now: number;
  /** When we last seeked to correct (ms), or -Infinity. */
  lastSeekAt: number;
  /** Smoothed time a seek takes to resume playing here (ms). */
  seekLatencyMs: number;
  /** Expected position now (s): the seek target before latency compensation. */
  expectedSec: number;
}

export type Correction = { action: 'none' } | { action: 'rate'; rate: number } | { action: 'seek'; toSec: number };

export function decideCorrection(input: CorrectionInput, policy: CorrectionPolicy = DEFAULT_POLICY): Correction {
  const { driftMs, roomRate, currentRate, now } = input;
  const abs = Math.abs(driftMs);
  if (now - input.lastSeekAt < policy.seekCooldownMs) {
    // Settling after a seek: only make sure we are back at the room's rate.
    return currentRate !== roomRate ? { action: 'rate', rate: roomRate } : { action: 'none' };
  }
  if (abs >= policy.seekThresholdMs) {
    return { action: 'seek', toSec: input.expectedSec + (input.seekLatencyMs / 1000) * roomRate };
  }
  const nudging = currentRate !== roomRate;
  if (abs < policy.deadbandMs && (!nudging || abs < policy.settleMs)) {
    return nudging ? { action: 'rate', rate: roomRate } : { action: 'none' };
  }
  if (abs < policy.settleMs) return { action: 'rate', rate: roomRate };
  // Close the gap over catchUpSec: ahead -> slower, behind -> faster. The nudge moves in 1 % steps
  // (at least one step) so that converging takes a handful of rate changes, not one per tick.
  const raw = Math.max(-policy.maxNudge, Math.min(policy.maxNudge, -driftMs / 1000 / policy.catchUpSec));
  const steps = Math.sign(raw) * Math.max(1, Math.round(Math.abs(raw) * 100));
  const rate = Math.round(roomRate * (1 + steps / 100) * 1000) / 1000;
  return rate === currentRate ? { action: 'none' } : { action: 'rate', rate };
}

/**
 * Start catch-up. Right after playback (re)starts, whether a scheduled start, a seek or a late join, a
 * page whose element was not ready at the scheduled instant starts late by its own amount (a seek to an
 * unbuffered position on a busy machine takes longer than the server's lead). Nudging the rate by at
 * most 5 % closes 400 ms in ~8 s (bench/sync: median spread 426 ms after a seek). The viewer is watching
 * a transition anyway, so one latency-compensated seek is invisible and closes it at once: allowed once
 * per start, within a short window, beyond a threshold where a nudge would take more than ~2 s.
 */
export interface CatchUpInput {
  driftMs: number;
  now: number;
  /** End of the window opened by the last start (ms, same clock as `now`). */
  windowUntil: number;
  /** Whether this start's one catch-up has been used. */
  used: boolean;
  autoSync: boolean;
}

export function shouldCatchUp(input: CatchUpInput, policy: CorrectionPolicy = DEFAULT_POLICY): boolean {
  return input.autoSync && !input.used && input.now < input.windowUntil && Math.abs(input.driftMs) > policy.startCatchUpThresholdMs;
}
