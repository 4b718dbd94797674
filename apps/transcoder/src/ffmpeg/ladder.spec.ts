import { describe, expect, it } from 'vitest';
import { chooseLadder, frameRateDivisor, scaledSize, targetBitrate } from './ladder.js';

const opts = { maxHeight: 1080 };
const shape = (l: ReturnType<typeof chooseLadder>) => l.map((r) => `${r.name}:${r.width}x${r.height}@${Number(r.fps.toFixed(3))}`);

describe('ladder', () => {
  it('gives a 1080p source 1080/720/480 (top three rungs)', () => {
    expect(shape(chooseLadder({ width: 1920, height: 1080, fps: 30 }, opts))).toEqual([
      'high:1920x1080@30',
      'medium:1280x720@30',
      'low:854x480@30',
    ]);
  });

  it('gives a 720p source 720/480/360', () => {
    expect(shape(chooseLadder({ width: 1280, height: 720, fps: 30 }, opts))).toEqual([
      'high:1280x720@30',
      'medium:854x480@30',
      'low:640x360@30',
    ]);
  });

  it('gives a 480p source two rungs, 480 and 360', () => {
    expect(shape(chooseLadder({ width: 640, height: 480, fps: 25 }, opts))).toEqual(['high:640x480@25', 'medium:480x360@25']);
  });

  it('gives a 240p source one rung at its own (even) size', () => {
    expect(shape(chooseLadder({ width: 426, height: 240, fps: 30 }, opts))).toEqual(['high:426x240@30']);
    expect(shape(chooseLadder({ width: 321, height: 241, fps: 30 }, opts))).toEqual(['high:320x240@30']);
  });

  it('scales portrait video by its short side', () => {
    expect(shape(chooseLadder({ width: 1080, height: 1920, fps: 30 }, opts))).toEqual([
      'high:1080x1920@30',
      'medium:720x1280@30',
      'low:480x854@30',
    ]);
  });

  it('caps the top rung at maxHeight', () => {
    expect(shape(chooseLadder({ width: 1920, height: 1080, fps: 30 }, { maxHeight: 720 }))).toEqual([
      'high:1280x720@30',
      'medium:854x480@30',
      'low:640x360@30',
    ]);
  });

  it('keeps 60 fps on 720p and up, halves it below', () => {
    const ladder = chooseLadder({ width: 1920, height: 1080, fps: 60 }, opts);
    expect(ladder.map((r) => [r.fps, r.fpsDivisor])).toEqual([
      [60, 1],
      [60, 1],
      [30, 2],
    ]);
  });

  it('drops NTSC 59.94 to 29.97 on low rungs, not to 30', () => {
    const ladder = chooseLadder({ width: 1280, height: 720, fps: 60000 / 1001 }, opts);
    expect(ladder[2].fpsDivisor).toBe(2);
    expect(ladder[2].fps).toBeCloseTo(29.97, 2);
  });

  it('targets PeerTube bits-per-pixel rates and audio 128k, 96k on the low rung', () => {
    const ladder = chooseLadder({ width: 1280, height: 720, fps: 30 }, opts);
    // 1280*720*30*.11, 854*480*30*.12, 640*360*30*.15
    expect(ladder.map((r) => r.videoBitrate)).toEqual([3_041_000, 1_476_000, 1_037_000]);
    expect(ladder.map((r) => r.audioBitrate)).toEqual([128_000, 128_000, 96_000]);
  });

  it('never targets more than 1.3x the source bit rate', () => {
    const ladder = chooseLadder({ width: 1280, height: 720, fps: 30, bitrate: 1_000_000 }, opts);
    expect(ladder.map((r) => r.videoBitrate)).toEqual([1_300_000, 1_300_000, 1_037_000]);
  });
});

describe(scaledSize.name, () => {
  it('rounds the long side to the nearest even number like scale=-2', () => {
    expect(scaledSize(1280, 720, 480)).toEqual({ width: 854, height: 480 });
    expect(scaledSize(1920, 800, 360)).toEqual({ width: 864, height: 360 });
    expect(scaledSize(720, 1280, 360)).toEqual({ width: 360, height: 640 });
  });
});

describe(frameRateDivisor.name, () => {
  it('picks the smallest whole divisor under the cap', () => {
    expect(frameRateDivisor(30, 30)).toBe(1);
    expect(frameRateDivisor(50, 30)).toBe(2);
    expect(frameRateDivisor(120, 60)).toBe(2);
    expect(frameRateDivisor(144, 60)).toBe(3);
  });
});

describe(targetBitrate.name, () => {
  it('has a floor for starved sources', () => {
    expect(targetBitrate(640, 360, 30, 360, 10_000)).toBe(138_000); // 640*360*30*.02
    expect(targetBitrate(160, 90, 5, 90, 1_000)).toBe(64_000);
  });
});
