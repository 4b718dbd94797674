import { describe, expect, it } from 'vitest';
import { PROBE_FORMAT_WHITELIST } from './media-limits.js';
import { buildAudioPosterCommand, buildPosterCommand, posterTime } from './poster-command.js';

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
    expect(args.slice(input - 6, input + 2)).toEqual(['-ss', '10.000', '-protocol_whitelist', 'file', '-f', 'matroska', '-i', 'file:/m/source']);
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
