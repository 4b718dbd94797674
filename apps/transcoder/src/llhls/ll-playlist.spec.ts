import { M3U8Parser, PlaylistLevelType } from 'hls.js';
import { describe, expect, it } from 'vitest';
import { llPartUri } from '@reelroom/contracts';
import { buildFinalPlaylist, buildLlPlaylist, partHoldBack, partTargetFor } from './ll-playlist.js';
import { segmentUri, type LlPart, type LlSegment } from './part-cutter.js';

const part = (msn: number, index: number): LlPart => ({
  msn,
  index,
  uri: llPartUri(msn, index),
  durationSec: 1 / 3,
  independent: index === 0,
});
const segment = (msn: number): LlSegment => ({ msn, uri: segmentUri(msn), durationSec: 1, parts: [0, 1, 2].map((i) => part(msn, i)) });

describe(buildLlPlaylist.name, () => {
  const text = buildLlPlaylist({
    targetDurationSec: 1,
    partTargetSec: 0.367,
    segments: [3, 4, 5, 6, 7].map(segment),
    openParts: [part(8, 0)],
    next: { msn: 8, index: 1, uri: llPartUri(8, 1) },
    initUri: 'init.mp4',
    partSegments: 3,
  });
  const lines = text.trim().split('\n');

  it('declares version 9, the target duration, blocking reload with PART-HOLD-BACK of three part targets, and the part target', () => {
    expect(lines.slice(0, 8)).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-TARGETDURATION:1',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=6,PART-HOLD-BACK=1.101',
      '#EXT-X-PART-INF:PART-TARGET=0.367',
      '#EXT-X-MEDIA-SEQUENCE:3',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init.mp4"',
    ]);
  });

  it('lists parts only for the last three segments and the open one, INDEPENDENT on keyframe parts, then the preload hint', () => {
    const parts = lines.filter((l) => l.startsWith('#EXT-X-PART:'));
    expect(parts).toHaveLength(3 * 3 + 1);
    expect(parts[0]).toBe('#EXT-X-PART:DURATION=0.33333,URI="part_00005_0.m4s",INDEPENDENT=YES');
    expect(parts[1]).toBe('#EXT-X-PART:DURATION=0.33333,URI="part_00005_1.m4s"');
    expect(lines.filter((l) => l.startsWith('seg_'))).toEqual([
      'seg_00003.m4s',
      'seg_00004.m4s',
      'seg_00005.m4s',
      'seg_00006.m4s',
      'seg_00007.m4s',
    ]);
    expect(lines.at(-2)).toBe('#EXT-X-PART:DURATION=0.33333,URI="part_00008_0.m4s",INDEPENDENT=YES');
    expect(lines.at(-1)).toBe('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00008_1.m4s"');
    // A segment's parts come before its EXTINF.
    expect(lines.indexOf('#EXT-X-PART:DURATION=0.33333,URI="part_00007_2.m4s"')).toBeLessThan(lines.indexOf('seg_00007.m4s'));
  });

  it('ends a live as a plain EVENT playlist of every segment (what the replay step makes VOD)', () => {
    const final = buildFinalPlaylist({ targetDurationSec: 1 }, [0, 1].map(segment), 'init.mp4');
    expect(final).toBe(
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n' +
        '#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:1,\nseg_00000.m4s\n#EXTINF:1,\nseg_00001.m4s\n',
    );
  });
});

describe(partTargetFor.name, () => {
  it('allows one frame past the fragment length of the slowest track, rounded up to the millisecond', () => {
    expect(partTargetFor(0.333, [1 / 30, 1024 / 48000])).toBe(0.367);
    expect(partTargetFor(0.333, [1 / 25])).toBe(0.373);
    expect(partHoldBack(0.367)).toBe(1.101);
  });
});

/**
 * The player's own reading of our playlist (hls.js's M3U8Parser, the web app's player): an LL playlist it
 * misreads plays at the wrong place or not at all, whatever the RFC says.
 */
describe('an LL playlist as hls.js reads it', () => {
  const text = buildLlPlaylist({
    targetDurationSec: 1,
    partTargetSec: 0.367,
    segments: [3, 4, 5, 6, 7].map(segment),
    openParts: [part(8, 0), part(8, 1)],
    next: { msn: 8, index: 2, uri: llPartUri(8, 2) },
    initUri: 'init.mp4',
    partSegments: 3,
  });
  const details = M3U8Parser.parseLevelPlaylist(text, 'https://r.example/media/m/high/index.m3u8', 0, PlaylistLevelType.MAIN, 0, null);

  it('is live with blocking reload, PART-HOLD-BACK at least three part targets, and the preload hint', () => {
    expect(details.live).toBe(true);
    expect(details.canBlockReload).toBe(true);
    expect(details.partTarget).toBe(0.367);
    expect(details.partHoldBack).toBeGreaterThanOrEqual(3 * details.partTarget);
    expect(details.preloadHint?.URI).toBe(llPartUri(8, 2));
  });

  it('has the window of segments back to back from 0, and the parts near the edge, continuous up to the open segment', () => {
    expect(details.startSN).toBe(3);
    expect(details.endSN).toBe(7);
    expect(details.fragments.map((f) => f.start)).toEqual([0, 1, 2, 3, 4]);
    const parts = details.partList ?? [];
    // Segments 5, 6, 7 (three parts each) and the open segment 8's two.
    expect(parts.map((p) => `${p.fragment.sn}/${p.index}`)).toEqual([
      '5/0',
      '5/1',
      '5/2',
      '6/0',
      '6/1',
      '6/2',
      '7/0',
      '7/1',
      '7/2',
      '8/0',
      '8/1',
    ]);
    // Within the 5 decimals durations are written with (10 µs; a segment's EXTINF is rounded on its own).
    for (let i = 1; i < parts.length; i++) expect(parts[i].start).toBeCloseTo(parts[i - 1].end, 4);
    expect(parts.filter((p) => p.independent).map((p) => p.fragment.sn)).toEqual([5, 6, 7, 8]);
    expect(details.edge).toBeCloseTo(5 + 2 / 3, 4);
  });

  it('offers delta updates (CAN-SKIP-UNTIL of six target durations)', () => {
    expect(details.canSkipUntil).toBe(6);
  });

  it("after a resume: the join is a discontinuity (hls.js's cc) before the new run's first part, counted on once it slides", () => {
    const resumed = M3U8Parser.parseLevelPlaylist(
      buildLlPlaylist({
        targetDurationSec: 1,
        partTargetSec: 0.367,
        segments: [segment(3), { ...segment(4), discontinuity: true }, segment(5)],
        openParts: [part(6, 0)],
        discontinuitySequence: 2,
        next: { msn: 6, index: 1, uri: llPartUri(6, 1) },
        initUri: 'init.mp4',
        partSegments: 3,
      }),
      'https://r.example/media/m/high/index.m3u8',
      0,
      PlaylistLevelType.MAIN,
      0,
      null,
    );
    expect(resumed.fragments.map((f) => f.cc)).toEqual([2, 3, 3]);
    expect((resumed.partList ?? []).map((p) => `${p.fragment.sn}/${p.fragment.cc}`)).toContain('4/3');
  });
});
