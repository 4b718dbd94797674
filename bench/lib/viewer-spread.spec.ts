import { describe, expect, it } from 'vitest';
import { viewerSpreads } from './viewer-spread.mjs';

/** Samples of a viewer `latencyMs` behind, one frame every 100 ms from `fromMs` to `toMs`. */
const viewer = (latencyMs: number, fromMs: number, toMs: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let shown = fromMs; shown < toMs; shown += 100) out.push([shown, shown - latencyMs]);
  return out;
};

describe('viewerSpreads', () => {
  it('is the gap between viewers in each half second that every viewer showed frames in', () => {
    const spreads = viewerSpreads([viewer(1500, 0, 2000), viewer(1800, 1000, 3000), viewer(1600, 0, 3000)]);
    expect(spreads).toHaveLength(2); // 1000-1500 and 1500-2000: the only windows all three showed frames in
    for (const s of spreads) expect(s).toBeCloseTo(0.3);
  });

  it("takes each viewer's median in a window, so one late frame does not count as a spread", () => {
    const late: [number, number][] = [...viewer(1500, 0, 500), [450, 450 - 4000]];
    expect(viewerSpreads([late, viewer(1500, 0, 500)])).toEqual([0]);
  });

  it('has nothing to say about a single viewer', () => {
    expect(viewerSpreads([viewer(1500, 0, 1000)])).toEqual([]);
  });
});
