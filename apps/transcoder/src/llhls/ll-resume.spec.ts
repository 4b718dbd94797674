import { describe, expect, it } from 'vitest';
import { llPartUri } from '@reelroom/contracts';
import { buildLlPlaylist } from './ll-playlist.js';
import { recoverLlState } from './ll-resume.js';
import { segmentUri, type LlPart, type LlSegment } from './part-cutter.js';

const part = (msn: number, index: number): LlPart => ({
  msn,
  index,
  uri: llPartUri(msn, index),
  durationSec: 0.334,
  independent: index === 0,
});
const segment = (msn: number, extra: Partial<LlSegment> = {}): LlSegment => ({
  msn,
  uri: segmentUri(msn),
  durationSec: 1.002,
  parts: [0, 1, 2].map((i) => part(msn, i)),
  ...extra,
});
const playlist = (segments: LlSegment[], openParts: LlPart[], discontinuitySequence = 0) =>
  buildLlPlaylist({
    targetDurationSec: 1,
    partTargetSec: 0.367,
    segments,
    openParts,
    discontinuitySequence,
    next: { msn: segments.at(-1)!.msn + 1, index: openParts.length, uri: llPartUri(segments.at(-1)!.msn + 1, openParts.length) },
    initUri: 'init.mp4',
    partSegments: 3,
  });

describe(recoverLlState.name, () => {
  it('keeps the complete segments of a slid window (msn from the media sequence, listed parts) and continues after the last', () => {
    const segments = [5, 6, 7, 8, 9].map((n) => segment(n));
    const state = recoverLlState(playlist(segments, [part(10, 0), part(10, 1)]));
    expect(state.nextMsn).toBe(10);
    expect(state.segments.map((s) => [s.msn, s.uri, s.durationSec])).toEqual(segments.map((s) => [s.msn, s.uri, 1.002]));
    // Parts are listed for the last 3 segments only (partSegments): the older ones come back without.
    expect(state.segments.map((s) => s.parts.length)).toEqual([0, 0, 3, 3, 3]);
    expect(state.segments[4].parts[0]).toEqual(part(9, 0));
  });

  it("names the dead run's unfinished parts as stale: the open segment is dropped, its msn reused", () => {
    const state = recoverLlState(playlist([segment(0)], [part(1, 0), part(1, 1)]));
    expect(state.staleParts).toEqual(['part_00001_0.m4s', 'part_00001_1.m4s']);
    expect(state.nextMsn).toBe(1);
  });

  it('keeps earlier gaps: the discontinuity sequence and which segments follow a discontinuity', () => {
    const text = playlist([segment(3), segment(4, { discontinuity: true }), segment(5)], [], 2);
    const state = recoverLlState(text);
    expect(state.discontinuitySequence).toBe(2);
    expect(state.segments.map((s) => s.discontinuity ?? false)).toEqual([false, true, false]);
  });

  it('a playlist with no complete segment yet resumes at its media sequence with nothing listed', () => {
    const text = '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PART:DURATION=0.3,URI="part_00000_0.m4s",INDEPENDENT=YES\n';
    expect(recoverLlState(text)).toEqual({ segments: [], discontinuitySequence: 0, nextMsn: 0, staleParts: ['part_00000_0.m4s'] });
  });

  it('rejects what is not a media playlist of ours rather than resume on junk', () => {
    expect(() => recoverLlState('<html>')).toThrow(/not an HLS playlist/);
    expect(() => recoverLlState('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-1\n')).toThrow(/bad playlist number/);
    expect(() => recoverLlState('#EXTM3U\n#EXT-X-PART:DURATION=x,URI="p.m4s"\n')).toThrow(/bad EXT-X-PART/);
  });
});
