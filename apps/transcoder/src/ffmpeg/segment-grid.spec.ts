import { describe, expect, it } from 'vitest';
import { keyframeExpression, muxerSegmentSeconds, segmentNumberAt } from './segment-grid.js';

const SHORT = { firstSec: 1, segmentSec: 2 };
const UNIFORM = { firstSec: 2, segmentSec: 2 };

describe(keyframeExpression.name, () => {
  it('forces IDRs at 0, the first boundary, then every segment length', () => {
    // IDR 0 at t >= 0, IDR 1 at t >= 1, IDR n >= 2 at t >= 2 (n - 1): 0, 1, 2, 4, 6 ... (the keyframe times
    // ffmpeg really gives are checked on real encodes in test/integration/pipeline-outputs.test.ts).
    expect(keyframeExpression(SHORT)).toBe('expr:if(lt(n_forced,2),gte(t,n_forced*1),gte(t,(n_forced-1)*2))');
  });

  it('is the plain grid when the first segment is as long as the others', () => {
    expect(keyframeExpression(UNIFORM)).toBe('expr:gte(t,n_forced*2)');
  });

  it('refuses a first segment the muxer would not cut where the grid says', () => {
    expect(() => keyframeExpression({ firstSec: 1.5, segmentSec: 2 })).toThrow(/does not fit/);
    expect(() => keyframeExpression({ firstSec: 0.5, segmentSec: 2 })).toThrow(/does not fit/);
  });
});

describe(muxerSegmentSeconds.name, () => {
  it("is the first segment's length: hls_time 1 cuts at every keyframe of the grid", () => {
    expect(muxerSegmentSeconds(SHORT)).toBe(1);
    expect(muxerSegmentSeconds(UNIFORM)).toBe(2);
    // hlsenc cuts segment n (0-based) at the first keyframe >= hls_time * (n + 1): every boundary qualifies.
    const boundaries = [1, ...Array.from({ length: 30 }, (_, k) => 2 * (k + 1))];
    boundaries.forEach((t, n) => expect(t).toBeGreaterThanOrEqual(muxerSegmentSeconds(SHORT) * (n + 1)));
  });
});

describe(segmentNumberAt.name, () => {
  it('numbers a 2 s boundary one higher when the first segment is short', () => {
    expect(segmentNumberAt(0, SHORT)).toBe(0);
    expect(segmentNumberAt(2, SHORT)).toBe(2);
    expect(segmentNumberAt(40, SHORT)).toBe(21);
    expect(segmentNumberAt(40, UNIFORM)).toBe(20);
  });

  it('refuses a time off the grid', () => {
    expect(() => segmentNumberAt(3, SHORT)).toThrow(/not on the 2 s segment grid/);
  });
});
