import { describe, expect, it } from 'vitest';
import { chooseLadder, closeGaps, frameRateDivisor, MAX_STEP_RATIO, RUNG_RESOLUTIONS, scaledSize, targetBitrate } from './ladder.js';

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
    // (with a 720p30 step rung before 480p30: see closeGaps)
    expect(ladder.map((r) => [r.fps, r.fpsDivisor])).toEqual([
      [60, 1],
      [60, 1],
      [30, 2],
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
    // 1280*720*30*.11, 854*480*30*.12 raised to half the rung above (closeGaps), 640*360*30*.15
    expect(ladder.map((r) => r.videoBitrate)).toEqual([3_041_000, 1_521_000, 1_037_000]);
    expect(ladder.map((r) => r.audioBitrate)).toEqual([128_000, 128_000, 96_000]);
  });

  it('never targets more than 1.3x the source bit rate', () => {
    const ladder = chooseLadder({ width: 1280, height: 720, fps: 30, bitrate: 1_000_000 }, opts);
    expect(ladder.map((r) => r.videoBitrate)).toEqual([1_300_000, 1_300_000, 1_037_000]);
  });
});

describe(closeGaps.name, () => {
  const ratios = (l: ReturnType<typeof chooseLadder>) => l.slice(1).map((r, i) => l[i].videoBitrate / r.videoBitrate);

  it('keeps adjacent rungs at most 2x apart for every source size, rate, shape and bit rate', () => {
    const shorts = [144, 240, 300, 360, 400, 480, 540, 576, 600, 720, 800, 900, 1080, 1200, 1440, 2160];
    let checked = 0;
    for (const short of shorts)
      for (const aspect of [16 / 9, 4 / 3, 21 / 9, 1, 9 / 16])
        for (const fps of [12, 24, 25, 29.97, 30, 50, 59.94, 60, 120])
          for (const bitrate of [undefined, 300_000, 2_000_000, 40_000_000])
            for (const maxHeight of [1080, 720, 480]) {
              const width = aspect >= 1 ? Math.round(short * aspect) : short;
              const height = aspect >= 1 ? short : Math.round(short / aspect);
              const ladder = chooseLadder({ width, height, fps, bitrate }, { maxHeight });
              const what = `${width}x${height}@${fps} ${bitrate ?? '-'} max ${maxHeight}: ${ladder.map((r) => r.videoBitrate).join('/')}`;
              for (const r of ratios(ladder)) expect(r, what).toBeLessThanOrEqual(MAX_STEP_RATIO);
              // The tiers people see are still high, medium, low, in that order, never more than three.
              expect(
                ladder.filter((r) => r.tier).map((r) => r.tier),
                what,
              ).toEqual(['high', 'medium', 'low'].slice(0, ladder.filter((r) => r.tier).length));
              expect(new Set(ladder.map((r) => r.name)).size, what).toBe(ladder.length);
              checked++;
            }
    expect(checked).toBe(shorts.length * 5 * 9 * 4 * 3);
  });

  it('closes a small overshoot by raising the lower rung, without another encode (1080p30: 2.05x, 2.06x before)', () => {
    const ladder = chooseLadder({ width: 1920, height: 1080, fps: 30 }, opts);
    expect(ladder.map((r) => r.name)).toEqual(['high', 'medium', 'low']);
    expect(ladder.map((r) => r.videoBitrate)).toEqual([6_221_000, 3_111_000, 1_556_000]);
  });

  it('adds a step rung where the frame rate halves: 720p30 between 720p60 and 480p30', () => {
    const ladder = chooseLadder({ width: 1920, height: 1080, fps: 60 }, opts);
    expect(shape(ladder)).toEqual(['high:1920x1080@60', 'medium:1280x720@60', 'medium-low:1280x720@30', 'low:854x480@30']);
    expect(ladder.map((r) => r.tier)).toEqual(['high', 'medium', null, 'low']);
    expect(Math.max(...ratios(ladder))).toBeLessThanOrEqual(2);
  });

  it('adds geometrically spaced step rungs in a wide gap (a hand-made 1080 -> 360 ladder)', () => {
    const video = { width: 1920, height: 1080, fps: 30 };
    const tiers = chooseLadder(video, opts).filter((r) => r.name !== 'medium');
    const high = tiers[0];
    const low = { ...chooseLadder({ width: 640, height: 360, fps: 30 }, opts)[0], name: 'low', tier: 'low' as const };
    const ladder = closeGaps([high, low], video);
    expect(ladder.map((r) => r.name)).toEqual(['high', 'high-low-1', 'high-low-2', 'low']);
    expect(ladder.map((r) => r.height)).toEqual([1080, 748, 520, 360]);
    for (const r of ratios(ladder)) expect(r).toBeLessThanOrEqual(2);
    expect(ladder.at(-1)!.videoBitrate).toBe(1_037_000);
  });

  it('still uses the standard resolutions for the tiers', () => {
    expect(RUNG_RESOLUTIONS).toEqual([1080, 720, 480, 360]);
  });
});

describe(scaledSize.name, () => {
  it('rounds the long side to the nearest even number like scale=-2', () => {
    expect(scaledSize(1280, 720, 480)).toEqual({ width: 854, height: 480 });
    expect(scaledSize(1920, 800, 360)).toEqual({ width: 864, height: 360 });
    expect(scaledSize(720, 1280, 360)).toEqual({ width: 360, height: 640 });
  });

  it('follows the display aspect ratio, not the stored pixels, so the square-pixel output keeps the picture shape', () => {
    // 1440x1080 with 4:3 pixels (HDV) shows as 16:9; 720x576 PAL with 16:15 pixels shows as 4:3.
    expect(scaledSize(1440, 1080, 720, 16 / 9)).toEqual({ width: 1280, height: 720 });
    expect(scaledSize(720, 576, 480, 4 / 3)).toEqual({ width: 640, height: 480 });
    expect(scaledSize(1080, 1440, 720, 9 / 16)).toEqual({ width: 720, height: 1280 });
    // Every 16:9 rung is within one pixel of the exact shape (square pixels, even width).
    for (const short of [1080, 720, 480, 360]) {
      const { width } = scaledSize(1920, 1080, short);
      expect(width % 2).toBe(0);
      expect(Math.abs(width - (short * 16) / 9)).toBeLessThanOrEqual(1);
    }
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
