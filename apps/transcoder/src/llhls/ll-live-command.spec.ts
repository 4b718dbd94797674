import { describe, expect, it } from 'vitest';
import { chooseLiveLadder } from '../ffmpeg/live-command.js';
import type { MediaInfo } from '../ffmpeg/media-info.js';
import { buildLowLatencyLiveCommand } from './ll-live-command.js';

const URL = 'rtmp://127.0.0.1:1935/live/0123456789abcdef0123456789abcdef';
const info = (audio = true): MediaInfo => ({
  durationSec: 0,
  formatName: 'flv',
  streamCount: audio ? 2 : 1,
  video: { index: 0, codec: 'h264', width: 1280, height: 720, fps: 30, frameRate: '30/1', pixFmt: 'yuv420p', rotation: 0 },
  ...(audio ? { audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48000 } } : {}),
});
const build = (i: MediaInfo) => buildLowLatencyLiveCommand({ inputUrl: URL, info: i, ladder: chooseLiveLadder(i), segmentSeconds: 1 });
/** Every value that follows `flag`, in order. */
const all = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe(buildLowLatencyLiveCommand.name, () => {
  it('writes one fragmented MP4 per rung and one for the audio, each to its own pipe from fd 3', () => {
    const { args, outputs } = build(info());
    expect(outputs).toEqual([
      { name: 'high', kind: 'video' },
      { name: 'medium', kind: 'video' },
      { name: 'low', kind: 'video' },
      { name: 'audio', kind: 'audio-rendition' },
    ]);
    expect(args.filter((a) => a.startsWith('pipe:'))).toEqual(['pipe:1', 'pipe:3', 'pipe:4', 'pipe:5', 'pipe:6']);
    expect(all(args, '-movflags')).toEqual(Array(4).fill('+frag_keyframe+empty_moov+default_base_moof'));
    expect(all(args, '-frag_duration')).toEqual(Array(4).fill('333000'));
    expect(all(args, '-map')).toEqual(['[v0]', '[v1]', '[v2]', '0:1']);
  });

  it('forces an IDR every segment on every rung (aligned parts), with zerolatency and a one-second GOP', () => {
    const { args } = build(info());
    expect(all(args, '-force_key_frames')).toEqual(Array(3).fill('expr:gte(t,n_forced*1)'));
    expect(all(args, '-g')).toEqual(['30', '30', '30']);
    expect(all(args, '-tune')).toEqual(Array(3).fill('zerolatency'));
    // ultrafast, not the standard live's veryfast: a ladder below real time adds lag every second (LL_X264).
    expect(all(args, '-preset')).toEqual(Array(3).fill('ultrafast'));
    expect(all(args, '-protocol_whitelist')).toEqual(['rtmp,tcp']);
  });

  it('has no audio output for a silent stream', () => {
    expect(build(info(false)).outputs.map((o) => o.kind)).toEqual(['video', 'video', 'video']);
  });
});
