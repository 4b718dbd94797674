import { describe, expect, it } from 'vitest';
import { parseBlockingQuery, playlistEdge, reloadDecision } from './blocking-reload.js';

const PLAYLIST = [
  '#EXTM3U',
  '#EXT-X-VERSION:9',
  '#EXT-X-TARGETDURATION:1',
  '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.101',
  '#EXT-X-PART-INF:PART-TARGET=0.367',
  '#EXT-X-MEDIA-SEQUENCE:10',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXT-X-PART:DURATION=0.33333,URI="part_00010_0.m4s",INDEPENDENT=YES',
  '#EXTINF:1,',
  'seg_00010.m4s',
  '#EXTINF:1,',
  'seg_00011.m4s',
  '#EXT-X-PART:DURATION=0.33333,URI="part_00012_0.m4s",INDEPENDENT=YES',
  '#EXT-X-PART:DURATION=0.33333,URI="part_00012_1.m4s"',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00012_2.m4s"',
].join('\n');

describe(parseBlockingQuery.name, () => {
  it('reads whole numbers and refuses anything else, and a part without an msn', () => {
    expect(parseBlockingQuery({})).toBeNull();
    expect(parseBlockingQuery({ _HLS_msn: '12' })).toEqual({ msn: 12 });
    expect(parseBlockingQuery({ _HLS_msn: '12', _HLS_part: '0' })).toEqual({ msn: 12, part: 0 });
    for (const bad of [
      { _HLS_msn: '-1' },
      { _HLS_msn: '1.5' },
      { _HLS_msn: 'x' },
      { _HLS_msn: ['1', '2'] },
      { _HLS_part: '1' },
      { _HLS_msn: '1', _HLS_part: '' },
    ])
      expect(parseBlockingQuery(bad)).toBe('bad');
  });
});

describe(reloadDecision.name, () => {
  const edge = playlistEdge(PLAYLIST);

  it('reads the edge: the last complete segment, the parts of the open one, the target duration', () => {
    expect(edge).toEqual({ live: true, lastMsn: 11, nextParts: 2, targetDurationSec: 1 });
  });

  it('answers at once for what the playlist holds, waits for the next parts and segments, refuses what is too far ahead', () => {
    expect(reloadDecision(edge, { msn: 11 })).toBe('ready');
    expect(reloadDecision(edge, { msn: 12, part: 1 })).toBe('ready');
    expect(reloadDecision(edge, { msn: 12, part: 2 })).toBe('wait');
    expect(reloadDecision(edge, { msn: 12 })).toBe('wait');
    expect(reloadDecision(edge, { msn: 13, part: 0 })).toBe('wait');
    expect(reloadDecision(edge, { msn: 14 })).toBe('bad');
    expect(reloadDecision(edge, { msn: 12, part: 5 })).toBe('bad');
    expect(reloadDecision(edge, { msn: 13, part: 3 })).toBe('bad');
  });

  it('never holds a playlist that does not block (standard HLS) or has ended', () => {
    const standard = '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nseg_00000.m4s\n';
    expect(reloadDecision(playlistEdge(standard), { msn: 5 })).toBe('ready');
    expect(reloadDecision(playlistEdge(`${PLAYLIST}\n#EXT-X-ENDLIST`), { msn: 13 })).toBe('ready');
  });
});
