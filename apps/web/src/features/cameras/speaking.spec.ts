import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEAKING, loudestBlockRms, rms, SpeakingDetector } from './speaking';

describe(SpeakingDetector.name, () => {
  it('starts on one loud sample by default, and after the attack time when one is set', () => {
    expect(new SpeakingDetector().push(0.5, 0)).toBe(true);
    expect(new SpeakingDetector().push(0.03, 0)).toBe(false);
    const d = new SpeakingDetector({ ...DEFAULT_SPEAKING, attackMs: 100 });
    expect(d.push(0.5, 0)).toBe(false);
    expect(d.push(0.001, 50)).toBe(false); // a click: back down before the attack time
    expect(d.push(0.5, 100)).toBe(false);
    expect(d.push(0.5, 200)).toBe(true);
  });

  it('holds through short pauses and ends after the release time below the lower threshold', () => {
    const d = new SpeakingDetector();
    d.push(0.5, 0);
    d.push(0.5, 200);
    expect(d.isSpeaking).toBe(true);
    expect(d.push(0.03, 300)).toBe(true); // between off and on: still speaking
    expect(d.push(0.001, 400)).toBe(true);
    expect(d.push(0.5, 700)).toBe(true); // a pause shorter than the release
    expect(d.push(0.001, 800)).toBe(true);
    expect(d.push(0.001, 800 + DEFAULT_SPEAKING.releaseMs)).toBe(false);
  });
});

describe('rms', () => {
  it('measures the level of samples', () => {
    expect(rms([])).toBe(0);
    expect(rms([0, 0, 0])).toBe(0);
    expect(rms([0.5, -0.5, 0.5, -0.5])).toBeCloseTo(0.5);
  });
});

describe('loudestBlockRms', () => {
  /** 8192 samples of silence with a 20 ms (960-sample) square beep of amplitude `a` starting at `at`. */
  const beep = (a: number, at: number) => Float32Array.from({ length: 8192 }, (_, i) => (i >= at && i < at + 960 ? (i % 2 ? a : -a) : 0));

  it('hears a short sound that the whole window averages below the speaking threshold', () => {
    const samples = beep(0.1, 500); // straddles two 1024-sample blocks
    expect(rms(samples)).toBeLessThan(DEFAULT_SPEAKING.on);
    expect(loudestBlockRms(samples, 1024)).toBeGreaterThan(DEFAULT_SPEAKING.on);
    expect(loudestBlockRms(beep(0.1, 7500), 1024)).toBeGreaterThan(DEFAULT_SPEAKING.on); // at the window's end
  });

  it('is the level of the loudest block, and zero for silence', () => {
    expect(loudestBlockRms(beep(0.1, 1024), 1024)).toBeCloseTo(0.1 * Math.sqrt(960 / 1024));
    expect(loudestBlockRms(new Float32Array(8192), 1024)).toBe(0);
    expect(loudestBlockRms([], 1024)).toBe(0);
  });
});
