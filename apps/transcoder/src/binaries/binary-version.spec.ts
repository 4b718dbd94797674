import { describe, expect, it } from 'vitest';
import { judgeVersion, parseVersion } from './binary-version.js';

describe(parseVersion.name, () => {
  it('reads distribution, static and tagged release builds', () => {
    expect(parseVersion('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc 12')).toEqual({
      text: '5.1.6-0+deb12u1',
      major: 5,
      minor: 1,
    });
    expect(parseVersion('ffprobe version 6.1.1-static https://johnvansickle.com/ffmpeg/')).toEqual({
      text: '6.1.1-static',
      major: 6,
      minor: 1,
    });
    expect(parseVersion('ffmpeg version n7.0.2 Copyright')).toEqual({ text: 'n7.0.2', major: 7, minor: 0 });
  });

  it('keeps the text of a git snapshot, which has no release number', () => {
    expect(parseVersion('ffmpeg version N-113348-g0a5813fc68 Copyright')).toEqual({ text: 'N-113348-g0a5813fc68' });
  });

  it('says nothing for output that is not an ffmpeg banner', () => {
    expect(parseVersion('v20.20.2\n')).toBeUndefined();
    expect(parseVersion('')).toBeUndefined();
  });
});

describe(judgeVersion.name, () => {
  it('accepts 5.1 and newer, refuses older releases', () => {
    expect(judgeVersion({ text: '5.1', major: 5, minor: 1 })).toBe('ok');
    expect(judgeVersion({ text: '6.0', major: 6, minor: 0 })).toBe('ok');
    expect(judgeVersion({ text: '5.0.3', major: 5, minor: 0 })).toBe('too-old');
    expect(judgeVersion({ text: '4.4.2', major: 4, minor: 4 })).toBe('too-old');
  });

  it('cannot judge a snapshot', () => {
    expect(judgeVersion({ text: 'N-1-gabc' })).toBe('unknown');
  });
});
