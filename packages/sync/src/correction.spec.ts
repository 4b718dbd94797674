import { describe, expect, it } from 'vitest';
import { decideCorrection, DEFAULT_POLICY, shouldCatchUp, type CorrectionInput } from './correction.js';

const input = (over: Partial<CorrectionInput>): CorrectionInput => ({
  driftMs: 0,
  roomRate: 1,
  currentRate: 1,
  now: 100_000,
  lastSeekAt: Number.NEGATIVE_INFINITY,
  seekLatencyMs: 200,
  expectedSec: 60,
  ...over,
});

describe('decideCorrection', () => {
  it('ignores drift inside the dead band', () => {
    expect(decideCorrection(input({ driftMs: 15 }))).toEqual({ action: 'none' });
    expect(decideCorrection(input({ driftMs: -24 }))).toEqual({ action: 'none' });
  });

  it('nudges the rate for small drift: slower when ahead, faster when behind, capped at 5 %', () => {
    expect(decideCorrection(input({ driftMs: 90 }))).toEqual({ action: 'rate', rate: 0.97 });
    expect(decideCorrection(input({ driftMs: -90 }))).toEqual({ action: 'rate', rate: 1.03 });
    expect(decideCorrection(input({ driftMs: -1400 }))).toEqual({ action: 'rate', rate: 1.05 });
    expect(decideCorrection(input({ driftMs: 45 }))).toEqual({ action: 'rate', rate: 0.98 });
    expect(decideCorrection(input({ driftMs: 26 }))).toEqual({ action: 'rate', rate: 0.99 });
  });

  it('nudges relative to the room speed', () => {
    expect(decideCorrection(input({ driftMs: -300, roomRate: 2, currentRate: 2 }))).toEqual({ action: 'rate', rate: 2.1 });
  });

  it('keeps nudging inside the dead band until the drift has settled, then returns to the room rate', () => {
    expect(decideCorrection(input({ driftMs: 20, currentRate: 0.99 }))).toEqual({ action: 'none' });
    expect(decideCorrection(input({ driftMs: 5, currentRate: 0.99 }))).toEqual({ action: 'rate', rate: 1 });
  });

  it('does not re-issue the rate it already plays at', () => {
    expect(decideCorrection(input({ driftMs: 90, currentRate: 0.97 }))).toEqual({ action: 'none' });
  });

  it('seeks for large drift, aiming ahead by the measured seek latency', () => {
    expect(decideCorrection(input({ driftMs: -4000, expectedSec: 60, seekLatencyMs: 250 }))).toEqual({ action: 'seek', toSec: 60.25 });
    expect(decideCorrection(input({ driftMs: 2000, expectedSec: 60, seekLatencyMs: 250, roomRate: 2, currentRate: 2 }))).toEqual({
      action: 'seek',
      toSec: 60.5,
    });
  });

  it('never counts the settling after its own seek as drift: a cooldown, only restoring the room rate', () => {
    const justSeeked = { now: 100_000, lastSeekAt: 100_000 - DEFAULT_POLICY.seekCooldownMs + 1 };
    expect(decideCorrection(input({ ...justSeeked, driftMs: -3000 }))).toEqual({ action: 'none' });
    expect(decideCorrection(input({ ...justSeeked, driftMs: -3000, currentRate: 1.05 }))).toEqual({ action: 'rate', rate: 1 });
  });

  it('converges a steady 300 ms lag in a handful of rate changes, without seeking', () => {
    // Simulated clock: the element plays at `rate`, the room at 1; correction runs every 250 ms.
    let drift = -300;
    let rate = 1;
    let changes = 0;
    for (let t = 0; t < 20_000; t += 250) {
      const c = decideCorrection(input({ driftMs: drift, currentRate: rate, now: t }));
      expect(c.action).not.toBe('seek');
      if (c.action === 'rate') {
        rate = c.rate;
        changes++;
      }
      drift += (rate - 1) * 250;
    }
    expect(Math.abs(drift)).toBeLessThan(DEFAULT_POLICY.deadbandMs);
    expect(rate).toBe(1);
    expect(changes).toBeLessThanOrEqual(8);
  });
});

describe(shouldCatchUp.name, () => {
  const base = { driftMs: -400, now: 1000, windowUntil: 1000 + DEFAULT_POLICY.startCatchUpWindowMs, used: false, autoSync: true };
  it('seeks once, just after a start, when the page started late beyond the threshold', () => {
    expect(shouldCatchUp(base)).toBe(true);
    expect(shouldCatchUp({ ...base, driftMs: 300 })).toBe(true);
  });
  it('leaves small drift to the gentle rate nudge', () => {
    expect(shouldCatchUp({ ...base, driftMs: -DEFAULT_POLICY.startCatchUpThresholdMs + 1 })).toBe(false);
  });
  it('acts only once per start, only inside the window, and never with auto-sync off', () => {
    expect(shouldCatchUp({ ...base, used: true })).toBe(false);
    expect(shouldCatchUp({ ...base, now: base.windowUntil })).toBe(false);
    expect(shouldCatchUp({ ...base, autoSync: false })).toBe(false);
  });
  it('takes its threshold from the policy it is given', () => {
    expect(shouldCatchUp({ ...base, driftMs: -400 }, { ...DEFAULT_POLICY, startCatchUpThresholdMs: 500 })).toBe(false);
  });
});
