import { describe, expect, it } from 'vitest';
import { estimateEtaSec } from './eta.js';

describe(estimateEtaSec.name, () => {
  it('extrapolates the pace so far: 10 s for 25 % leaves 30 s', () => {
    expect(estimateEtaSec(10_000, 25)).toBe(30);
    expect(estimateEtaSec(3_000, 50)).toBe(3);
  });

  it('rounds up to whole seconds', () => {
    expect(estimateEtaSec(1_000, 60)).toBe(1);
  });

  it('gives no estimate before 2 % or for nonsense input', () => {
    expect(estimateEtaSec(5_000, 1.9)).toBeUndefined();
    expect(estimateEtaSec(5_000, Number.NaN)).toBeUndefined();
    expect(estimateEtaSec(-1, 50)).toBeUndefined();
  });

  it('is 0 when done', () => {
    expect(estimateEtaSec(60_000, 100)).toBe(0);
  });
});
