import { M3U8Parser, PlaylistLevelType } from 'hls.js';
import { describe, expect, it } from 'vitest';
import { deltaPlaylist, parseSkipQuery } from './playlist-delta.js';

const head = (control = 'CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=6,PART-HOLD-BACK=1.101') => [
  '#EXTM3U',
  '#EXT-X-VERSION:9',
  '#EXT-X-TARGETDURATION:1',
  `#EXT-X-SERVER-CONTROL:${control}`,
  '#EXT-X-MEDIA-SEQUENCE:20',
  '#EXT-X-MAP:URI="init.mp4"',
];
const seg = (n: number, gap = false) => [...(gap ? ['#EXT-X-DISCONTINUITY'] : []), '#EXTINF:1,', `seg_000${n}.m4s`];
const edge = [
  '#EXT-X-PART:DURATION=0.33333,URI="part_00032_0.m4s",INDEPENDENT=YES',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00032_1.m4s"',
  '',
];
const playlist = (segments: string[][], control?: string) => [...head(control), ...segments.flat(), ...edge].join('\n');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe(parseSkipQuery.name, () => {
  it('takes YES and v2, nothing else', () => {
    expect(parseSkipQuery({})).toBe(false);
    expect(parseSkipQuery({ _HLS_skip: 'YES' })).toBe(true);
    expect(parseSkipQuery({ _HLS_skip: 'v2' })).toBe(true);
    expect(parseSkipQuery({ _HLS_skip: 'yes' })).toBe('bad');
    expect(parseSkipQuery({ _HLS_skip: ['YES', 'YES'] })).toBe('bad');
  });
});

describe(deltaPlaylist.name, () => {
  it('replaces the segments starting more than CAN-SKIP-UNTIL before the end with one EXT-X-SKIP', () => {
    // 12 segments of 1 s (20..31): those starting 6 s or more before the end (20..25) go.
    const text = deltaPlaylist(playlist(range(20, 32).map((n) => seg(n))));
    expect(text).toBe([...head(), '#EXT-X-SKIP:SKIPPED-SEGMENTS=6', ...range(26, 32).flatMap((n) => seg(n)), ...edge].join('\n'));
    // The player (hls.js, the web app's) reads it as a delta: 6 skipped from msn 20, the rest from 26.
    const details = M3U8Parser.parseLevelPlaylist(text, 'https://r.example/media/m/high/index.m3u8', 0, PlaylistLevelType.MAIN, 0, null);
    expect(details.skippedSegments).toBe(6);
    expect(details.fragments.filter(Boolean).map((f) => f.sn)).toEqual(range(26, 32));
  });

  it('answers the full playlist when it is too short to skip anything, does not offer skipping, or ended', () => {
    const short = playlist(range(20, 26).map((n) => seg(n)));
    expect(deltaPlaylist(short)).toBe(short);
    const noSkip = playlist(
      range(20, 32).map((n) => seg(n)),
      'CAN-BLOCK-RELOAD=YES',
    );
    expect(deltaPlaylist(noSkip)).toBe(noSkip);
    const ended = `${playlist(range(20, 32).map((n) => seg(n)))}#EXT-X-ENDLIST\n`;
    expect(deltaPlaylist(ended)).toBe(ended);
  });

  it('never skips a discontinuity: skipping stops at the first segment after a gap', () => {
    const text = deltaPlaylist(playlist(range(20, 32).map((n) => seg(n, n === 23))));
    expect(text).toContain('#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n#EXT-X-DISCONTINUITY\n#EXTINF:1,\nseg_00023.m4s');
  });
});
