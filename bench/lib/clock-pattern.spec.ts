import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { clock, clockPattern, type ClockImage, type ClockPattern } from './clock-pattern.mjs';

const T = 1_796_000_123_456; // an epoch time in December 2026

/** A yuv420p frame's luma plane, mid-grey, with the clock painted at the top. */
function frame(width: number, height: number, ms: number): Uint8Array {
  const plane = new Uint8Array(width * height).fill(128);
  clock.paintLuma(plane, width, height, ms);
  return plane;
}

/**
 * The band of a luma plane as the page sees it: scaled to `outW` x `outH` with a box filter (what a
 * lower rung and drawImage do, roughly), grey RGBA, plus `noise` (a deterministic +-noise per pixel,
 * standing in for compression).
 */
function band(plane: Uint8Array, width: number, height: number, outW: number, outH: number, noise = 0): ClockImage {
  const bh = clock.bandHeight(height);
  const data = new Uint8ClampedArray(outW * outH * 4);
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const [x0, x1] = [Math.floor((x * width) / outW), Math.floor(((x + 1) * width) / outW)];
      const [y0, y1] = [Math.floor((y * bh) / outH), Math.floor(((y + 1) * bh) / outH)];
      let sum = 0;
      for (let yy = y0; yy < Math.max(y1, y0 + 1); yy++) for (let xx = x0; xx < Math.max(x1, x0 + 1); xx++) sum += plane[yy * width + xx];
      const v = sum / (Math.max(1, x1 - x0) * Math.max(1, y1 - y0)) + noise * rand();
      data.set([v, v, v, 255], (y * outW + x) * 4);
    }
  return { data, width: outW, height: outH };
}

describe('the clock burned into frames', () => {
  it('reads back the time painted into a 720p frame, at the size the page reads it', () => {
    expect(clock.decode(band(frame(1280, 720, T), 1280, 720, 208, 16))).toBe(T);
  });

  it('survives the lower rungs (scaled to 480p and 360p) and compression noise', () => {
    expect(clock.decode(band(frame(854, 480, T + 1), 854, 480, 208, 16, 30))).toBe(T + 1);
    expect(clock.decode(band(frame(640, 360, T + 33), 640, 360, 416, 32, 40))).toBe(T + 33);
    expect(clock.decode(band(frame(320, 180, T + 66), 320, 180, 208, 16, 20))).toBe(T + 66);
  });

  it('reads the extremes of the range: zero and the largest 42-bit value', () => {
    expect(clock.decode(band(frame(1280, 720, 0), 1280, 720, 208, 16))).toBe(0);
    expect(clock.decode(band(frame(1280, 720, 2 ** 42 - 1), 1280, 720, 208, 16))).toBe(2 ** 42 - 1);
  });

  it('gives null for a frame with no clock: no contrast between the reference cells', () => {
    const grey = { data: new Uint8ClampedArray(208 * 16 * 4).fill(128), width: 208, height: 16 };
    expect(clock.decode(grey)).toBeNull();
  });

  it('gives null when one bit was misread (the CRC catches it) instead of a wrong time', () => {
    const image = band(frame(1280, 720, T), 1280, 720, 208, 16);
    const data = new Uint8ClampedArray(image.data);
    // Invert the middle of cell 10 (a data bit).
    const r = clock.cellRect(10, image.width, image.height);
    for (let y = r.y; y < r.y + r.h; y++)
      for (let x = r.x; x < r.x + r.w; x++)
        for (let c = 0; c < 3; c++) data[(y * image.width + x) * 4 + c] = 255 - data[(y * image.width + x) * 4 + c];
    expect(clock.decode({ ...image, data })).toBeNull();
  });

  it('gives null for a frame blended half-way between two times, never a time in between', () => {
    const a = frame(1280, 720, T);
    const b = frame(1280, 720, T + 2 ** 20 + 12_345); // many bits differ
    const mixed = a.map((v, i) => Math.round(v * 0.55 + b[i] * 0.45));
    const read = clock.decode(band(mixed, 1280, 720, 208, 16));
    expect([null, T]).toContain(read);
  });

  it('is self-contained, so a page can rebuild it from its source text', () => {
    // A fresh context, as a page is: nothing of this module's scope is there.
    const rebuilt = runInNewContext(`(${clockPattern.toString()})()`) as ClockPattern;
    expect(rebuilt.decode(band(frame(1280, 720, T), 1280, 720, 208, 16))).toBe(T);
  });

  it('refuses times it cannot carry', () => {
    expect(() => clock.cells(-1)).toThrow(RangeError);
    expect(() => clock.cells(2 ** 42)).toThrow(RangeError);
    expect(() => clock.cells(1.5)).toThrow(RangeError);
  });
});
