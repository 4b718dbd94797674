import { describe, expect, it } from 'vitest';
import { ClockEstimator, clockSample } from './clock.js';

describe(ClockEstimator.name, () => {
  it('derives offset and round trip from one exchange', () => {
    // Client sent at 1000, server stamped 6050 (its clock is 5000 ahead), reply arrived at 1100.
    expect(clockSample(1000, 6050, 1100)).toEqual({ offsetMs: 5000, rttMs: 100, at: 1100 });
  });

  it('trusts the sample with the smallest round trip, among the last N', () => {
    const c = new ClockEstimator(3);
    c.add(clockSample(0, 5100, 300)); // slow, asymmetric: offset 4950
    c.add(clockSample(1000, 6010, 1020)); // fast: offset 5000
    c.add(clockSample(2000, 7200, 2200)); // offset 5100
    expect(c.best?.offsetMs).toBe(5000);
    expect(c.serverNow(10_000)).toBe(15_000);
    c.add(clockSample(3000, 8100, 3200));
    c.add(clockSample(4000, 9100, 4200));
    c.add(clockSample(5000, 10_100, 5200)); // the fast sample has aged out
    expect(c.best?.rttMs).toBe(200);
  });

  it('uses the local clock before any sample and ignores impossible samples', () => {
    const c = new ClockEstimator();
    expect(c.serverNow(42)).toBe(42);
    c.add(clockSample(100, 500, 50));
    expect(c.sampleCount).toBe(0);
  });
});
