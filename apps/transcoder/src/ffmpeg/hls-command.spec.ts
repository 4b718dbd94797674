import { describe, expect, it } from 'vitest';
import {
  alignedKeyframes,
  buildAudioHlsCommand,
  buildFilterGraph,
  buildHlsCommand,
  buildVarStreamMap,
  demuxerFor,
  initFilenameFor,
} from './hls-command.js';
import { audioLabel, chooseAudioRenditions, MAX_AUDIO_TRACKS } from './audio-tracks.js';
import { hardenedInput } from './hardened-input.js';
import { chooseLadder } from './ladder.js';
import { PROBE_FORMAT_WHITELIST } from './media-limits.js';
import type { MediaInfo, VideoStreamInfo } from './media-info.js';

const SRC = '/srv/media/uploads/0b1e/source';
const WORK = '/srv/media/0b1e/hls.tmp-abc';

function info(video: Partial<VideoStreamInfo>, withAudio = true, formatName = 'mov,mp4,m4a,3gp,3g2,mj2'): MediaInfo {
  const v: VideoStreamInfo = {
    index: 0,
    codec: 'h264',
    width: 1920,
    height: 1080,
    fps: 30,
    frameRate: '30/1',
    pixFmt: 'yuv420p',
    rotation: 0,
    ...video,
  };
  return {
    durationSec: 10,
    formatName,
    streamCount: withAudio ? 2 : 1,
    video: v,
    ...(withAudio ? { audio: { index: 1, codec: 'aac', channels: 6, sampleRate: 44100 } } : {}),
  };
}

function command(i: MediaInfo, maxHeight = 1080) {
  const ladder = chooseLadder(i.video!, { maxHeight });
  return { ladder, args: buildHlsCommand({ info: i, ladder, sourcePath: SRC, workDir: WORK }) };
}

/** Value following a flag (first occurrence). */
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe(buildHlsCommand.name, () => {
  it('reads the input only through the file protocol, with the probed demuxer forced', () => {
    const { args } = command(info({}));
    const input = args.indexOf('-i');
    expect(args[input + 1]).toBe(`file:${SRC}`);
    expect(args.slice(input - 4, input)).toEqual(['-protocol_whitelist', 'file', '-f', 'mov']);
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
  });

  it('opens the input exactly as hardenedInput says, drefs off for mov and the demuxer allow-list on', () => {
    const { args } = command(info({}));
    const input = args.indexOf('-i');
    const hardened = hardenedInput({ path: SRC, demuxer: 'mov' });
    expect(args.slice(input + 2 - hardened.length, input + 2)).toEqual(hardened);
    expect(after(args, '-format_whitelist')).toBe(PROBE_FORMAT_WHITELIST);
    expect(after(args, '-enable_drefs')).toBe('0');
  });

  it('decodes once and scales in a cascade, each rung from the one above, for a 1080p source', () => {
    const { args } = command(info({}));
    expect(after(args, '-filter_complex')).toBe(
      '[0:0]scale=w=1920:h=1080,setsar=1,split=2[v0][c0];[c0]scale=w=1280:h=720,setsar=1,split=2[v1][c1];[c1]scale=w=854:h=480,setsar=1[v2]',
    );
    // The audio is mapped once: one shared rendition, not one encode per rung.
    expect(args.filter((a, i) => args[i - 1] === '-map')).toEqual(['[v0]', '[v1]', '[v2]', '0:1']);
  });

  it('encodes capped CRF H.264 High, yuv420p, with forced keyframes at 0, 1 s, then every 2 s, and no scene cuts', () => {
    const { args, ladder } = command(info({}));
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-preset')).toBe('veryfast');
    expect(after(args, '-crf')).toBe('23');
    expect(after(args, '-profile:v')).toBe('high');
    expect(after(args, '-pix_fmt')).toBe('yuv420p');
    // The 1 s first segment (segment-grid.ts): IDRs at 0, 1, 2, 4, 6 ... in every rung.
    expect(after(args, '-force_key_frames')).toBe('expr:if(lt(n_forced,2),gte(t,n_forced*1),gte(t,(n_forced-1)*2))');
    expect(after(args, '-sc_threshold')).toBe('0');
    ladder.forEach((rung, i) => {
      expect(after(args, `-maxrate:v:${i}`)).toBe(String(rung.videoBitrate));
      expect(after(args, `-bufsize:v:${i}`)).toBe(String(rung.videoBitrate * 2));
      expect(after(args, `-g:v:${i}`)).toBe('60');
      expect(after(args, `-keyint_min:v:${i}`)).toBe('60');
    });
  });

  it('encodes stereo AAC once, as its own rendition after the video variants in the var_stream_map', () => {
    const { args } = command(info({}));
    expect(after(args, '-c:a')).toBe('aac');
    expect(after(args, '-ac')).toBe('2');
    expect(after(args, '-b:a:0')).toBe('128000');
    expect(args).not.toContain('-b:a:1');
    expect(after(args, '-var_stream_map')).toBe('v:0,name:high v:1,name:medium v:2,name:low a:0,name:audio');
  });

  it("keeps the per-rung muxed audio layout for the bench's baseline", () => {
    const i = info({});
    const ladder = chooseLadder(i.video!, { maxHeight: 1080 });
    const args = buildHlsCommand({ info: i, ladder, sourcePath: SRC, workDir: WORK, audioLayout: 'per-rung' });
    expect(args.filter((a, n) => args[n - 1] === '-map')).toEqual(['[v0]', '[v1]', '[v2]', '0:1', '0:1', '0:1']);
    expect([after(args, '-b:a:0'), after(args, '-b:a:1'), after(args, '-b:a:2')]).toEqual(['128000', '128000', '96000']);
    expect(after(args, '-var_stream_map')).toBe('v:0,a:0,name:high v:1,a:1,name:medium v:2,a:2,name:low');
  });

  it('leaves audio out entirely for a silent source', () => {
    const { args } = command(info({}, false));
    expect(args).not.toContain('-c:a');
    expect(args.filter((a, i) => args[i - 1] === '-map')).toEqual(['[v0]', '[v1]', '[v2]']);
    expect(after(args, '-var_stream_map')).toBe('v:0,name:high v:1,name:medium v:2,name:low');
  });

  it('writes fMP4 EVENT HLS (cut at every keyframe, atomic files, init.mp4 per rung) into per-rung directories, progress on stdout', () => {
    const { args } = command(info({}));
    expect(args.slice(-19)).toEqual([
      '-f',
      'hls',
      // The first segment's length: the muxer then cuts at every forced keyframe (segment-grid.ts).
      '-hls_time',
      '1',
      '-hls_playlist_type',
      'event',
      '-hls_segment_type',
      'fmp4',
      '-hls_flags',
      'independent_segments+temp_file',
      // Video and audio start together in the segments (see alignedStartArgs).
      '-hls_segment_options',
      'movflags=+negative_cts_offsets+frag_discont',
      '-hls_fmp4_init_filename',
      '../%v/init.mp4',
      '-hls_segment_filename',
      `${WORK}/%v/seg_%05d.m4s`,
      '-var_stream_map',
      'v:0,name:high v:1,name:medium v:2,name:low a:0,name:audio',
      `${WORK}/%v/index.m3u8`,
    ]);
    expect(args.at(-1)).toBe(`${WORK}/%v/index.m3u8`);
    expect(after(args, '-progress')).toBe('pipe:1');
    expect(args).toEqual(expect.arrayContaining(['-nostats', '-nostdin', '-y']));
    expect(after(args, '-map_metadata')).toBe('-1');
    expect(after(args, '-max_muxing_queue_size')).toBe('1024');
  });

  it('scales a portrait source by its short side', () => {
    const { args } = command(info({ width: 1080, height: 1920 }));
    expect(after(args, '-filter_complex')).toContain('[c0]scale=w=720:h=1280,setsar=1,split=2[v1][c1]');
  });

  it('adds an exact fps filter on low rungs of a 60 fps source and doubles the GOP on fast rungs', () => {
    const { args } = command(info({ fps: 60, frameRate: '60/1' }));
    // 1080p60, 720p60, a 720p30 step rung (closeGaps: 720p60 -> 480p30 is over 2x), 480p30.
    expect(after(args, '-filter_complex')).toContain('[c1]scale=w=1280:h=720,setsar=1,split=2[t2][c2];[t2]fps=60/1/2[v2]');
    expect(after(args, '-filter_complex')).toContain('[c2]scale=w=854:h=480,setsar=1[t3];[t3]fps=60/1/2[v3]');
    expect(after(args, '-filter_complex')).toContain('[0:0]scale=w=1920:h=1080,setsar=1,split=2[v0][c0]');
    expect([1, 2, 3, 4].map((n) => after(args, `-g:v:${n - 1}`))).toEqual(['120', '120', '60', '60']);
  });

  it('maps the real video stream, not stream 0, when a cover picture comes first', () => {
    const i = info({ index: 2, width: 1280, height: 720 });
    expect(after(command(i).args, '-filter_complex')).toMatch(/^\[0:2\]scale=/);
  });

  it('uses no split for a one-rung ladder', () => {
    const { args } = command(info({ width: 320, height: 240 }));
    expect(after(args, '-filter_complex')).toBe('[0:0]scale=w=320:h=240,setsar=1[v0]');
    expect(after(args, '-var_stream_map')).toBe('v:0,name:high a:0,name:audio');
  });

  it('refuses relative paths', () => {
    const i = info({});
    const ladder = chooseLadder(i.video!, { maxHeight: 1080 });
    expect(() => buildHlsCommand({ info: i, ladder, sourcePath: 'concat:a|b', workDir: WORK })).toThrow(/absolute/);
  });
});

describe(alignedKeyframes.name, () => {
  it('forces an IDR every N seconds with a GOP of exactly N seconds per rung at its own rate, and no scene cuts', () => {
    expect(alignedKeyframes([{ fps: 60 }, { fps: 30 }, { fps: 29.97 }], 2)).toEqual([
      '-force_key_frames',
      'expr:gte(t,n_forced*2)',
      '-sc_threshold',
      '0',
      '-g:v:0',
      '120',
      '-keyint_min:v:0',
      '120',
      '-g:v:1',
      '60',
      '-keyint_min:v:1',
      '60',
      '-g:v:2',
      '60',
      '-keyint_min:v:2',
      '60',
    ]);
    expect(alignedKeyframes([{ fps: 0.2 }], 1)).toContain('1');
  });

  it("adds the short first segment's IDR, keeping the 2 s GOP after it", () => {
    expect(alignedKeyframes([{ fps: 30 }], 2, 1)).toEqual([
      '-force_key_frames',
      'expr:if(lt(n_forced,2),gte(t,n_forced*1),gte(t,(n_forced-1)*2))',
      '-sc_threshold',
      '0',
      '-g:v:0',
      '60',
      '-keyint_min:v:0',
      '60',
    ]);
  });
});

describe(buildHlsCommand.name + ' (FIRST_SEGMENT_SEC=2)', () => {
  it('keeps the uniform 2 s grid: keyframes every 2 s and hls_time 2', () => {
    const i = info({});
    const ladder = chooseLadder(i.video!, { maxHeight: 1080 });
    const args = buildHlsCommand({ info: i, ladder, sourcePath: SRC, workDir: WORK, firstSegmentSec: 2 });
    expect(after(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(after(args, '-hls_time')).toBe('2');
  });
});

describe(buildFilterGraph.name, () => {
  it('keeps rational rates exact in the fps filter', () => {
    const ladder = chooseLadder({ width: 1280, height: 720, fps: 60000 / 1001 }, { maxHeight: 1080 });
    expect(buildFilterGraph(0, '60000/1001', ladder)).toContain('fps=60000/1001/2[v2]');
  });
});

describe(buildVarStreamMap.name, () => {
  it('names two variants high and medium', () => {
    const ladder = chooseLadder({ width: 640, height: 480, fps: 30 }, { maxHeight: 1080 });
    expect(buildVarStreamMap(ladder, true)).toBe('v:0,name:high v:1,name:medium a:0,name:audio');
    expect(buildVarStreamMap(ladder, true, 'per-rung')).toBe('v:0,a:0,name:high v:1,a:1,name:medium');
    expect(buildVarStreamMap(ladder, false)).toBe('v:0,name:high v:1,name:medium');
  });
});

describe(demuxerFor.name, () => {
  it('takes the first demuxer name', () => {
    expect(demuxerFor('matroska,webm')).toBe('matroska');
    expect(demuxerFor('mpegts')).toBe('mpegts');
    expect(() => demuxerFor('x;y')).toThrow();
  });
});

describe(initFilenameFor.name, () => {
  it('names the init segment through %v with several variants (no _<index> suffix) and plainly with one', () => {
    expect(initFilenameFor(3)).toBe('../%v/init.mp4');
    expect(initFilenameFor(1)).toBe('init.mp4');
  });
});

describe(buildAudioHlsCommand.name, () => {
  const audioInfo: MediaInfo = {
    durationSec: 200,
    formatName: 'mp3',
    streamCount: 2,
    audio: { index: 0, codec: 'mp3', channels: 1, sampleRate: 44100 },
  };

  it('encodes the audio stream only, as one stereo 128k AAC rung named audio, with the same input hardening', () => {
    const args = buildAudioHlsCommand({ info: audioInfo, sourcePath: SRC, workDir: WORK });
    const input = args.indexOf('-i');
    expect(args.slice(input - 4, input + 2)).toEqual(['-protocol_whitelist', 'file', '-f', 'mp3', '-i', `file:${SRC}`]);
    expect(after(args, '-format_whitelist')).toBe(PROBE_FORMAT_WHITELIST);
    expect(args.filter((a, i) => args[i - 1] === '-map')).toEqual(['0:0']);
    expect(args).toContain('-vn');
    expect([after(args, '-c:a'), after(args, '-ac'), after(args, '-ar'), after(args, '-b:a')]).toEqual(['aac', '2', '48000', '128000']);
    expect(after(args, '-hls_playlist_type')).toBe('event');
    expect(after(args, '-hls_fmp4_init_filename')).toBe('init.mp4');
    expect(after(args, '-var_stream_map')).toBe('a:0,name:audio');
    expect(args.at(-1)).toBe(`${WORK}/%v/index.m3u8`);
  });

  it('refuses a source without audio', () => {
    expect(() => buildAudioHlsCommand({ info: { ...audioInfo, audio: undefined }, sourcePath: SRC, workDir: WORK })).toThrow();
  });
});

describe('several audio tracks (issue 12)', () => {
  const base = info({});
  const a = base.audio!;
  const multi: MediaInfo = {
    ...base,
    streamCount: 4,
    audioTracks: [
      { ...a, index: 1, language: 'eng', title: 'English' },
      { ...a, index: 2, language: 'fra' },
      { ...a, index: 3 },
    ],
  };

  it('maps and encodes every track once, each into its own rendition, whatever the number of rungs', () => {
    const { args } = command(multi);
    const maps = args.flatMap((x, i) => (x === '-map' ? [args[i + 1]] : []));
    expect(maps.filter((m) => m.startsWith('0:'))).toEqual(['0:1', '0:2', '0:3']);
    expect(args.filter((x) => x.startsWith('-b:a:'))).toEqual(['-b:a:0', '-b:a:1', '-b:a:2']);
    expect(args[args.indexOf('-var_stream_map') + 1]).toMatch(/ a:0,name:audio a:1,name:audio-2 a:2,name:audio-3$/);
    expect(args).toContain('movflags=+negative_cts_offsets+frag_discont');
  });

  it('keeps a chunk video only', () => {
    const ladder = chooseLadder(multi.video!, { maxHeight: 1080 });
    const args = buildHlsCommand({
      info: multi,
      ladder,
      sourcePath: SRC,
      workDir: WORK,
      chunk: { startSec: 4, endSec: 8, startNumber: 2, shift: '0', stageDir: `${WORK}/parts/1` },
    });
    expect(args.some((x, i) => x === '-map' && args[i + 1].startsWith('0:'))).toBe(false);
  });

  it('names each track and caps them at MAX_AUDIO_TRACKS, keeping the default one', () => {
    expect(chooseAudioRenditions(multi)).toEqual([
      { name: 'audio', streamIndex: 1, label: 'English', language: 'en', isDefault: true },
      { name: 'audio-2', streamIndex: 2, label: 'Français', language: 'fr', isDefault: false },
      { name: 'audio-3', streamIndex: 3, label: 'Track 3', language: 'und', isDefault: false },
    ]);
    const many = Array.from({ length: 6 }, (_, i) => ({ ...a, index: i + 1, language: 'eng' }));
    const chosen = chooseAudioRenditions({ audio: many[5], audioTracks: many });
    expect(chosen).toHaveLength(MAX_AUDIO_TRACKS);
    expect(chosen.map((c) => c.streamIndex)).toEqual([1, 2, 3, 6]);
    expect(chosen.map((c) => c.label)).toEqual(['English', 'English 2', 'English 3', 'English 4']);
    expect(chosen.find((c) => c.isDefault)?.streamIndex).toBe(6);
  });

  it('calls a lone untagged track "Main", and strips quotes and control characters from titles', () => {
    expect(chooseAudioRenditions({ audio: a, audioTracks: [a] })[0]?.label).toBe('Main');
    expect(audioLabel({ title: 'Dir"ector\u0007s cut' }, 1)).toBe('Dir ector s cut');
  });
});
