import { describe, expect, it } from 'vitest';
import { PROBE_FORMAT_WHITELIST } from './media-limits.js';
import type { MediaInfo } from './media-info.js';
import { buildAudioPosterCommand, buildPosterCommand, buildPosterTries, posterTime } from './poster-command.js';

const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe(posterTime.name, () => {
  it('is 10 % into the video, kept 2 s clear of the end, 0 when unknown', () => {
    expect(posterTime(600)).toBe(60);
    expect(posterTime(3)).toBeCloseTo(0.3, 6);
    expect(posterTime(2)).toBe(0);
    expect(posterTime(0)).toBe(0);
  });
});

describe(buildPosterCommand.name, () => {
  const base = { sourcePath: '/m/source', formatName: 'matroska,webm', videoIndex: 2, durationSec: 100, outPath: '/m/hls/.poster.jpg.tmp' };

  it('seeks before the input to 10 %, reads only the file protocol, picks a thumbnail and caps the width at 1280', () => {
    const args = buildPosterCommand(base);
    const input = args.indexOf('-i');
    expect(args.slice(input - 6, input + 2)).toEqual([
      '-ss',
      '10.000',
      '-protocol_whitelist',
      'file',
      '-f',
      'matroska',
      '-i',
      'file:/m/source',
    ]);
    expect(after(args, '-map')).toBe('0:2');
    expect(after(args, '-vf')).toBe("thumbnail=30,scale=w='min(1280,iw)':h=-2,format=yuvj420p");
    expect(after(args, '-frames:v')).toBe('1');
    expect(args.at(-1)).toBe('/m/hls/.poster.jpg.tmp');
    expect(after(args, '-format_whitelist')).toBe(PROBE_FORMAT_WHITELIST);
  });

  it('can fall back to the first frame', () => {
    expect(after(buildPosterCommand({ ...base, atSec: 0 }), '-ss')).toBe('0.000');
  });
});

describe(buildAudioPosterCommand.name, () => {
  it('draws the waveform of the audio stream on a 1280x720 card', () => {
    const args = buildAudioPosterCommand({ sourcePath: '/m/source', formatName: 'mp3', audioIndex: 0, outPath: '/m/hls/p.jpg' });
    expect(after(args, '-filter_complex')).toMatch(/^\[0:0\]aformat=channel_layouts=mono,showwavespic=s=1280x720/);
    expect(after(args, '-map')).toBe('[out]');
    expect(after(args, '-protocol_whitelist')).toBe('file');
    expect(after(args, '-format_whitelist')).toBe(PROBE_FORMAT_WHITELIST);
  });
});

describe(buildPosterTries.name, () => {
  const video: MediaInfo = {
    durationSec: 100,
    formatName: 'matroska,webm',
    streamCount: 2,
    video: { index: 2, codec: 'h264', width: 1920, height: 1080, fps: 25, frameRate: '25/1', pixFmt: 'yuv420p', rotation: 0 },
    audio: { index: 1, codec: 'opus', channels: 2, sampleRate: 48000 },
  };

  it('tries the pick 10 % in, then the first frame, for video', () => {
    const tries = buildPosterTries(video, '/m/source', '/m/hls/.poster.jpg.tmp');
    expect(tries.map((t) => [t.label, after(t.args, '-ss')])).toEqual([
      ['10 % in', '10.000'],
      ['first frame', '0.000'],
    ]);
    expect(tries.every((t) => t.args.at(-1) === '/m/hls/.poster.jpg.tmp')).toBe(true);
  });

  it('draws the waveform for audio-only media, and nothing without a stream', () => {
    const audio = buildPosterTries({ ...video, video: undefined }, '/m/source', '/m/p.jpg');
    expect(audio.map((t) => t.label)).toEqual(['waveform']);
    expect(after(audio[0].args, '-filter_complex')).toMatch(/^\[0:1\]aformat/);
    expect(buildPosterTries({ ...video, video: undefined, audio: undefined }, '/m/source', '/m/p.jpg')).toEqual([]);
  });
});
