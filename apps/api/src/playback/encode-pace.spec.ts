import { describe, expect, it } from 'vitest';
import { EncodePace } from './encode-pace.js';

describe(EncodePace.name, () => {
  it('measures media seconds converted per wall second since the first report it heard', () => {
    const pace = new EncodePace();
    expect(pace.observe('m', 2, 10_000)).toBeUndefined();
    expect(pace.observe('m', 2.4, 10_500)).toBeUndefined(); // under a second: too early to say
    expect(pace.observe('m', 5, 12_000)).toBeCloseTo(1.5);
    expect(pace.observe('other', 1, 12_000)).toBeUndefined();
  });

  it('starts over for a video it forgot (done), and forgets one that stopped reporting', () => {
    const pace = new EncodePace();
    pace.observe('m', 0, 0);
    pace.forget('m');
    expect(pace.observe('m', 10, 2_000)).toBeUndefined();
    expect(pace.observe('m', 12, 4_000)).toBeCloseTo(1);
    expect(pace.observe('m', 100, 20 * 60_000)).toBeUndefined(); // silent for 20 min: a new start
  });
});
