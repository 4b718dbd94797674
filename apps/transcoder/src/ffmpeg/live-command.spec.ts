import { describe, expect, it } from 'vitest';
import { buildLiveHlsCommand, buildLiveProbeArgs, chooseLiveLadder, LIVE_FALLBACK_FPS, liveFrameRate } from './live-command.js';
import type { MediaInfo, VideoStreamInfo } from './media-info.js';

const URL = 'rtmp://127.0.0.1:1935/live/0123456789abcdef0123456789abcdef';
const WORK = '/srv/media/3f0c/hls';

function stream(video: Partial<VideoStreamInfo>, withAudio = true): MediaInfo {
  return {
    durationSec: 0,
    formatName: 'flv',
    streamCount: withAudio ? 2 : 1,
    video: { index: 0, codec: 'h264', width: 1280, height: 720, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0, ...video },
    ...(withAudio ? { audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 } } : {}),
  };
}

const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
const build = (info: MediaInfo, segmentSeconds = 1) =>
  buildLiveHlsCommand({ inputUrl: URL, info, ladder: chooseLiveLadder(info), workDir: WORK, segmentSeconds });

describe(chooseLiveLadder.name, () => {
  it('makes 720/480/360 from a 720p or 1080p source and never upscales a smaller one', () => {
    expect(chooseLiveLadder(stream({})).map((r) => `${r.width}x${r.height}`)).toEqual(['1280x720', '854x480', '640x360']);
    expect(chooseLiveLadder(stream({ width: 1920, height: 1080 })).map((r) => r.height)).toEqual([720, 480, 360]);
    expect(chooseLiveLadder(stream({ width: 854, height: 480 })).map((r) => r.height)).toEqual([480, 360]);
  });

  it('plans for 30 fps when the stream does not state its rate', () => {
    expect(chooseLiveLadder(stream({ fps: 0, frameRate: '0/0' }))[0].fps).toBe(LIVE_FALLBACK_FPS);
  });

  it('plans and filters at 30 fps when a browser recorder reports its 1 ms time base (1000 fps) as the rate', () => {
    const browser = stream({ fps: 1000, frameRate: '1000/1' });
    expect(chooseLiveLadder(browser)[0].fps).toBe(LIVE_FALLBACK_FPS);
    const graph = after(build(browser), '-filter_complex');
    expect(graph).toContain(`fps=${LIVE_FALLBACK_FPS}`);
    expect(graph).not.toContain('1000');
    expect(liveFrameRate({ fps: 59.94, frameRate: '60000/1001' })).toEqual({ fps: 59.94, frameRate: '60000/1001' });
  });
});

describe(buildLiveHlsCommand.name, () => {
  it('reads only the RTMP stream through the flv demuxer, with an input watchdog', () => {
    const args = build(stream({}));
    expect(after(args, '-protocol_whitelist')).toBe('rtmp,tcp');
    expect(after(args, '-rw_timeout')).toBe('15000000');
    expect(after(args, '-f')).toBe('flv');
    expect(after(args, '-i')).toBe(URL);
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
  });

  it('encodes for latency: veryfast, zerolatency, keyframes forced at every segment on every rung, no scene cuts', () => {
    const args = build(stream({}));
    expect(after(args, '-preset')).toBe('veryfast');
    expect(after(args, '-tune')).toBe('zerolatency');
    expect(after(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
    expect(after(args, '-sc_threshold')).toBe('0');
    for (const i of [0, 1, 2]) {
      expect(after(args, `-g:v:${i}`)).toBe('30');
      expect(after(args, `-keyint_min:v:${i}`)).toBe('30');
      expect(after(args, `-maxrate:v:${i}`)).toBe(after(args, `-b:v:${i}`));
    }
    expect(after(build(stream({}), 2), '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
  });

  it('writes one fMP4 HLS EVENT set (kept whole for the replay) with the segment length asked for', () => {
    const args = build(stream({}));
    expect(after(args, '-hls_time')).toBe('1');
    expect(after(args, '-hls_playlist_type')).toBe('event');
    expect(after(args, '-hls_segment_type')).toBe('fmp4');
    expect(args).not.toContain('delete_segments');
    // The shared audio rendition, as for an upload; video and audio start together (alignedStartArgs).
    expect(after(args, '-var_stream_map')).toBe('v:0,name:high v:1,name:medium v:2,name:low a:0,name:audio');
    expect(after(args, '-hls_segment_options')).toBe('movflags=+negative_cts_offsets+frag_discont');
    expect(args.at(-1)).toBe(`${WORK}/%v/index.m3u8`);
    expect(args.filter((a) => a === '-map')).toHaveLength(4);
  });

  it('continues the playlists already in the folder on a resume (append_list), and only then', () => {
    const info = stream({});
    const fresh = build(info);
    expect(after(fresh, '-hls_flags')).not.toContain('append_list');
    const resumed = buildLiveHlsCommand({
      inputUrl: URL,
      info,
      ladder: chooseLiveLadder(info),
      workDir: WORK,
      segmentSeconds: 1,
      resume: true,
    });
    expect(after(resumed, '-hls_flags')).toBe(`${after(fresh, '-hls_flags')}+append_list`);
    // Everything else is the same command: the same ladder writes the same files on.
    expect(resumed.filter((a) => !a.includes('append_list'))).toEqual(fresh.filter((a) => a !== after(fresh, '-hls_flags')));
  });

  it('handles a stream without audio and refuses anything but rtmp:// and absolute folders', () => {
    const silent = build(stream({}, false));
    expect(after(silent, '-var_stream_map')).toBe('v:0,name:high v:1,name:medium v:2,name:low');
    expect(silent).not.toContain('-c:a');
    const info = stream({});
    const ladder = chooseLiveLadder(info);
    expect(() => buildLiveHlsCommand({ inputUrl: 'file:/etc/passwd', info, ladder, workDir: WORK, segmentSeconds: 1 })).toThrow();
    expect(() => buildLiveHlsCommand({ inputUrl: URL, info, ladder, workDir: 'rel/dir', segmentSeconds: 1 })).toThrow();
  });
});

describe(buildLiveProbeArgs.name, () => {
  it('probes with the same protocol and demuxer limits', () => {
    const args = buildLiveProbeArgs(URL);
    expect(after(args, '-protocol_whitelist')).toBe('rtmp,tcp');
    expect(after(args, '-f')).toBe('flv');
    expect(args.at(-1)).toBe(URL);
  });
});
