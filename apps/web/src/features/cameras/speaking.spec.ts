import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEAKING, rms, SpeakingDetector } from './speaking';

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
