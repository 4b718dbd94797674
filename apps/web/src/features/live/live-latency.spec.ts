import { describe, expect, it } from 'vitest';
import { atLiveEdge, DistanceWindow, distanceDriftMs, holdDistance, LIVE_LATENCY_POLICY, rejoins, type HoldInput } from './live-latency';

const at = (distanceSec: number, more: Partial<HoldInput> = {}): HoldInput => ({
  distanceSec,
  targetSec: 1.5,
  currentTime: 100,
  currentRate: 1,
  now: 10_000,
  lastSeekAt: Number.NEGATIVE_INFINITY,
  ...more,
});

describe('holdDistance', () => {
  it('slows a player that is nearer the edge than the target (hls.js alone never slows down)', () => {
    const c = holdDistance(at(1.2));
    expect(c.action).toBe('rate');
    expect(c.action === 'rate' && c.rate).toBeLessThan(1);
    expect(distanceDriftMs(1.2, 1.5)).toBeCloseTo(300);
  });

  it('speeds up a player further behind, up to 10 % for a second or more', () => {
    expect(holdDistance(at(1.65))).toEqual({ action: 'rate', rate: 1.05 }); // 150 ms closed over catchUpSec (3 s)
    expect(holdDistance(at(2.7))).toEqual({ action: 'rate', rate: 1.1 });
  });

  it('leaves a player inside the dead band alone, and brings a nudged one back to 1x once there', () => {
    const inside = 1.5 + (LIVE_LATENCY_POLICY.deadbandMs - 10) / 1000;
    expect(holdDistance(at(inside))).toEqual({ action: 'none' });
    expect(holdDistance(at(1.505, { currentRate: 1.03 }))).toEqual({ action: 'rate', rate: 1 });
  });

  it('seeks a player far behind (a resumed pause, a long stall) to the target, then lets the seek settle', () => {
    expect(holdDistance(at(4.5))).toEqual({ action: 'seek', toSec: 103 });
    expect(holdDistance(at(1.9, { lastSeekAt: 9_500, currentRate: 1.05 }))).toEqual({ action: 'rate', rate: 1 });
  });
});

describe('DistanceWindow', () => {
  it('says nothing until half full, then the median of the last measures, so one odd part does not move the rate', () => {
    const w = new DistanceWindow(4);
    w.add(1.5);
    expect(w.median).toBeNull();
    w.add(Number.NaN); // not a measure
    expect(w.median).toBeNull();
    w.add(1.6);
    expect(w.median).toBeCloseTo(1.55);
    for (const s of [1.4, 1.5, 3.0]) w.add(s); // the oldest (1.5) leaves; 3.0 is one late update
    expect(w.median).toBeCloseTo(1.55);
    w.clear();
    expect(w.median).toBeNull();
  });
});

describe('rejoins', () => {
  it('is with the room again once it plays within 250 ms of the target, either side', () => {
    expect(rejoins(0)).toBe(true);
    expect(rejoins(-249)).toBe(true);
    expect(rejoins(249)).toBe(true);
    expect(rejoins(-250)).toBe(false);
    expect(rejoins(-3000)).toBe(false);
  });
});

describe('atLiveEdge', () => {
  it("is a person's seek to within 2 s of hls.js's live sync position, either side; never when that position is unknown", () => {
    expect(atLiveEdge(100, 100)).toBe(true);
    expect(atLiveEdge(98.1, 100)).toBe(true);
    expect(atLiveEdge(101.9, 100)).toBe(true);
    expect(atLiveEdge(98, 100)).toBe(false);
    expect(atLiveEdge(90, 100)).toBe(false);
    expect(atLiveEdge(100, null)).toBe(false);
    expect(atLiveEdge(Number.NaN, 100)).toBe(false);
  });
});
