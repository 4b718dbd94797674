import { describe, expect, it } from 'vitest';
import { resolveBinaries, resolveBinary, type StaticBinaries } from './binary-resolution.js';

const STATICS: StaticBinaries = {
  ffmpeg: '/app/node_modules/ffmpeg-static/ffmpeg',
  ffprobe: '/app/node_modules/@derhuerst/ffprobe-static/ffprobe',
};
const executable =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe(resolveBinary.name, () => {
  it('takes FFMPEG_PATH first, even over an installed static binary', () => {
    expect(resolveBinary('ffmpeg', { ffmpegPath: '/opt/ff/ffmpeg' }, STATICS, executable(STATICS.ffmpeg!))).toEqual({
      name: 'ffmpeg',
      path: '/opt/ff/ffmpeg',
      source: 'env',
    });
  });

  it('keeps an explicit path that does not exist: the start-up check reports it instead of running another binary', () => {
    expect(resolveBinary('ffprobe', { ffprobePath: '/nope/ffprobe' }, STATICS, executable(STATICS.ffprobe!)).path).toBe('/nope/ffprobe');
  });

  it('takes the static package binary next, only when that file exists and is executable', () => {
    expect(resolveBinary('ffmpeg', {}, STATICS, executable(STATICS.ffmpeg!))).toEqual({
      name: 'ffmpeg',
      path: STATICS.ffmpeg,
      source: 'static',
    });
    // Installed without its download (offline, scripts not allowed): the package still names a path.
    expect(resolveBinary('ffmpeg', {}, STATICS, executable())).toEqual({ name: 'ffmpeg', path: 'ffmpeg', source: 'path' });
  });

  it('falls back to the bare name on PATH when no package is installed or the platform has no binary', () => {
    const none: StaticBinaries = { ffmpeg: null, ffprobe: null };
    expect(resolveBinary('ffprobe', {}, none, () => true)).toEqual({ name: 'ffprobe', path: 'ffprobe', source: 'path' });
  });

  it('treats an empty variable as unset', () => {
    expect(resolveBinary('ffmpeg', { ffmpegPath: '' }, STATICS, executable(STATICS.ffmpeg!)).source).toBe('static');
  });

  it('resolves ffprobe by its own variable and package, independently of ffmpeg', () => {
    const both = resolveBinaries({ ffmpegPath: '/opt/ff/ffmpeg' }, STATICS, executable(STATICS.ffprobe!));
    expect(both.ffmpeg.source).toBe('env');
    expect(both.ffprobe).toEqual({ name: 'ffprobe', path: STATICS.ffprobe, source: 'static' });
  });
});
