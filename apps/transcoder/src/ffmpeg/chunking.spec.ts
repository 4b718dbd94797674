import { describe, expect, it } from 'vitest';
import { chunkSpans, planChunks, publishablePrefix, reorderShift, segmentCount, stitchPlaylists } from './chunking.js';
import { planChunkedHls } from './hls-plan.js';
import type { MediaInfo } from './media-info.js';
import { parseMediaPlaylist } from './media-playlist.js';

const info = (durationSec: number, frameRate = '30/1', fps = 30, withAudio = true): MediaInfo => ({
  durationSec,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  streamCount: withAudio ? 2 : 1,
  video: { index: 0, codec: 'h264', width: 1920, height: 1080, fps, frameRate, pixFmt: 'yuv420p', rotation: 0 },
  ...(withAudio ? { audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 } } : {}),
});

/** A chunk playlist as ffmpeg's hls muxer writes it with -start_number. */
function chunkPlaylist(first: number, durations: number[], target = 2): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${target}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-MAP:URI="../high/init.mp4"',
  ];
  durations.forEach((d, i) => lines.push(`#EXTINF:${d.toFixed(6)},`, `seg_${String(first + i).padStart(5, '0')}.m4s`));
  return `${lines.join('\n')}\n`;
}

describe(planChunks.name, () => {
  it('keeps the single pass for sources up to the threshold, and when chunking is off', () => {
    expect(planChunks(120, { thresholdSec: 120, chunkSec: 40 }, 1)).toBeUndefined();
    expect(planChunks(3600, { thresholdSec: 0, chunkSec: 40 }, 1)).toBeUndefined();
  });

  it('chunks a longer source at the keyframe grid, numbering segments as the single pass does', () => {
    // The 1 s first segment: [0,1) [1,2) [2,4) ... so 40 s is the start of segment 21.
    expect(planChunks(121, { thresholdSec: 120, chunkSec: 40 }, 1)).toEqual([
      { index: 0, startSec: 0, endSec: 40, startNumber: 0 },
      { index: 1, startSec: 40, endSec: 80, startNumber: 21 },
      { index: 2, startSec: 80, startNumber: 41 },
    ]);
    // The uniform 2 s grid (FIRST_SEGMENT_SEC=2): 40 s is the start of segment 20.
    expect(planChunks(121, { thresholdSec: 120, chunkSec: 40 }, 2)?.map((s) => s.startNumber)).toEqual([0, 20, 40]);
  });
});

describe(chunkSpans.name, () => {
  it('gives a remainder of at least half a chunk its own chunk; the last chunk runs to the end', () => {
    expect(chunkSpans(180, 40, 1).map((s) => [s.startSec, s.endSec])).toEqual([
      [0, 40],
      [40, 80],
      [80, 120],
      [120, 160],
      [160, undefined],
    ]);
    expect(chunkSpans(170, 40, 1).map((s) => [s.startSec, s.endSec])).toEqual([
      [0, 40],
      [40, 80],
      [80, 120],
      [120, undefined],
    ]);
  });

  it('refuses a chunk length that is not a whole number of 2 s segments', () => {
    expect(() => chunkSpans(100, 45, 1)).toThrow(/whole number of segments/);
  });
});

describe(reorderShift.name, () => {
  it('is two frames of the slowest rung, exact for NTSC rates', () => {
    expect(reorderShift('30000/1001', [{ fpsDivisor: 1 }])).toBe('2*1/(30000/1001)');
    expect(reorderShift('60/1', [{ fpsDivisor: 1 }, { fpsDivisor: 2 }])).toBe('2*2/(60/1)');
  });

  it('refuses a frame rate that is not a plain rational (it goes into a filter expression)', () => {
    expect(() => reorderShift('30,setpts=0', [{ fpsDivisor: 1 }])).toThrow(/frame rate/);
  });
});

describe(publishablePrefix.name, () => {
  it('counts finished chunks in a row from the first: a later chunk that finished early waits', () => {
    expect(publishablePrefix([false, true, true])).toBe(0);
    expect(publishablePrefix([true, false, true])).toBe(1);
    expect(publishablePrefix([true, true, true])).toBe(3);
  });
});

describe(stitchPlaylists.name, () => {
  it('joins the chunks in order under one map, the first sequence number and the largest target', () => {
    const text = stitchPlaylists([chunkPlaylist(0, [2, 2]), chunkPlaylist(2, [2, 1.5], 3)], 'init.mp4');
    expect(text.split('\n').slice(0, 7)).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-TARGETDURATION:3',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:EVENT',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MAP:URI="init.mp4"',
    ]);
    expect(parseMediaPlaylist(text).segments).toEqual([
      { durationSec: 2, uri: 'seg_00000.m4s' },
      { durationSec: 2, uri: 'seg_00001.m4s' },
      { durationSec: 2, uri: 'seg_00002.m4s' },
      { durationSec: 1.5, uri: 'seg_00003.m4s' },
    ]);
    expect(text).toContain('#EXTINF:1.500000,\nseg_00003.m4s\n');
  });

  it('counts segments so a served playlist is never replaced by a shorter one', () => {
    expect(segmentCount(undefined)).toBe(0);
    expect(segmentCount(stitchPlaylists([chunkPlaylist(0, [2, 2, 2])], 'init.mp4'))).toBe(3);
  });
});

describe(planChunkedHls.name, () => {
  const plan = planChunkedHls({
    info: info(180),
    sourcePath: '/srv/m/source',
    outDir: '/srv/m/hls',
    maxHeight: 720,
    threads: 1,
    firstSegmentSec: 1,
  });

  it('encodes a chunk of video only: seeks with source timestamps, trims and shifts, numbers its segments', () => {
    const args = plan.chunkArgs({ index: 2, startSec: 80, endSec: 120, startNumber: 41 });
    const seek = args.indexOf('-copyts');
    expect(args.slice(seek, seek + 3)).toEqual(['-copyts', '-ss', '80']);
    expect(seek).toBeLessThan(args.indexOf('-i'));
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph.startsWith('[0:0]trim=start=80:end=120,setpts=PTS+(2*1/(30/1))/TB,scale=')).toBe(true);
    expect(args).not.toContain('-c:a');
    expect(args).not.toContain('0:1');
    expect(args[args.indexOf('-threads') + 1]).toBe('1');
    expect(args[args.indexOf('-start_number') + 1]).toBe('41');
    // The same keyframe grid as the single pass: ffmpeg's t counts from the chunk's first frame, which is on
    // the 2 s grid (the short first segment is chunk 0's alone).
    expect(args[args.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t,n_forced*2)');
    // hls_time 1 cuts at every keyframe, as in the single pass (segment-grid.ts muxerSegmentSeconds).
    expect(args[args.indexOf('-hls_time') + 1]).toBe('1');
    // Segments straight into the served rung folders, playlists and init segments into the stage.
    expect(args[args.indexOf('-hls_segment_filename') + 1]).toBe('/srv/m/hls/%v/seg_%05d.m4s');
    expect(args.at(-1)).toBe('/srv/m/hls/parts/2/%v/index.m3u8');
    expect(args[args.indexOf('-var_stream_map') + 1]).not.toContain('a:0');
  });

  it('lets the last chunk run to the end of the source', () => {
    const args = plan.chunkArgs({ index: 4, startSec: 160, startNumber: 81 });
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('trim=start=160,setpts=');
  });

  it("gives chunk 0 the single pass's keyframes, the short first segment's included", () => {
    const args = plan.chunkArgs({ index: 0, startSec: 0, endSec: 40, startNumber: 0 });
    expect(args[args.indexOf('-force_key_frames') + 1]).toBe('expr:if(lt(n_forced,2),gte(t,n_forced*1),gte(t,(n_forced-1)*2))');
  });

  it('encodes the audio once for the whole file with the same shift, into the audio rendition folder', () => {
    expect(plan.audioTracks.map((t) => t.name)).toEqual(['audio']);
    const args = plan.audioArgs(0);
    expect(args[args.indexOf('-af') + 1]).toBe('asetpts=PTS+(2*1/(30/1))/TB');
    // Cut as the single pass cuts its audio rendition (1 s segments with a 1 s first segment).
    expect(args[args.indexOf('-hls_time') + 1]).toBe('1');
    expect(args.at(-1)).toBe('/srv/m/hls/%v/index.m3u8');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('a:0,name:audio');
    expect(plan.variants.map((v) => v.name)).toEqual([...plan.ladder.map((r) => r.name), 'audio']);
  });

  it('has no audio part for a silent source', () => {
    const silent = planChunkedHls({
      info: info(180, '30/1', 30, false),
      sourcePath: '/s',
      outDir: '/o',
      maxHeight: 720,
      firstSegmentSec: 1,
    });
    expect(silent.audioTracks).toEqual([]);
    expect(() => silent.audioArgs(0)).toThrow(/not in the plan/);
  });

  it('makes one audio part per track, each into its own rendition folder with the same shift (issue 12)', () => {
    const base = info(180, '30/1', 30, true);
    const a = base.audio!;
    const two = planChunkedHls({
      info: { ...base, audioTracks: [a, { ...a, index: 2, language: 'fra', title: 'Commentary' }] },
      sourcePath: '/s',
      outDir: '/o',
      maxHeight: 720,
      firstSegmentSec: 1,
    });
    expect(two.audioTracks.map((t) => t.name)).toEqual(['audio', 'audio-2']);
    const second = two.audioArgs(1);
    expect(second[second.indexOf('-map') + 1]).toBe('0:2');
    expect(second[second.indexOf('-var_stream_map') + 1]).toBe('a:0,name:audio-2');
    expect(second[second.indexOf('-af') + 1]).toBe('asetpts=PTS+(2*1/(30/1))/TB');
    expect(second).toContain('movflags=+negative_cts_offsets+frag_discont');
    expect(two.variants.filter((v) => v.kind === 'audio-rendition').map((v) => v.name)).toEqual(['audio', 'audio-2']);
  });
});
