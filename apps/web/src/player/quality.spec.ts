import { describe, expect, it } from 'vitest';
import { levelLabel } from './quality';

describe(levelLabel.name, () => {
  it('names a level by height and peak bitrate', () => {
    expect(levelLabel({ index: 0, width: 1280, height: 720, bitrate: 2_900_000 })).toBe('720p (2.9 Mb/s)');
    expect(levelLabel({ index: 2, width: 640, height: 360, bitrate: 812_345 })).toBe('360p (812 kb/s)');
  });

  it('falls back to the bitrate when the playlist has no resolution', () => {
    expect(levelLabel({ index: 0, width: 0, height: 0, bitrate: 128_000 })).toBe('128 kb/s');
  });
});
