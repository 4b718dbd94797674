import { describe, expect, it } from 'vitest';
import { behindText, liveWindowOf, placeInWindow, spokenBehind, WINDOW_START_MARGIN_SEC } from './live-window';

describe(liveWindowOf.name, () => {
  const figures = { fragmentStart: 3_300, edge: 3_600, liveSyncPosition: 3_598.5, maxLatencySec: 296 };

  it("spans from the first listed segment to hls.js's live sync position, in hls.js's times", () => {
    expect(liveWindowOf({ ...figures, fragmentStart: 3_400 })).toEqual({ startSec: 3_400, endSec: 3_598.5 });
  });

  it("starts inside hls.js's latency limit when the playlist reaches further back (hls.js would move a place there to live)", () => {
    expect(liveWindowOf(figures)).toEqual({ startSec: 3_600 - 296 + WINDOW_START_MARGIN_SEC, endSec: 3_598.5 });
  });

  it('is unknown before hls.js has a playlist, and for an empty or reversed window', () => {
    expect(liveWindowOf({ ...figures, fragmentStart: undefined })).toBeNull();
    expect(liveWindowOf({ ...figures, edge: null })).toBeNull();
    expect(liveWindowOf({ ...figures, liveSyncPosition: Number.NaN })).toBeNull();
    expect(liveWindowOf({ ...figures, fragmentStart: 3_598.5 })).toBeNull();
    expect(liveWindowOf({ ...figures, fragmentStart: 3_599 })).toBeNull();
  });
});

describe(placeInWindow.name, () => {
  const w = { startSec: 100, endSec: 398.5 };
  it('keeps a place inside the window', () => {
    expect(placeInWindow(250, w)).toBe(250);
    expect(placeInWindow(399.2, w)).toBe(398.5);
    expect(placeInWindow(40, w)).toBe(100);
  });
});

describe(behindText.name, () => {
  it('says LIVE near the end (as near as a seek that goes back with the room), else minutes and seconds behind', () => {
    expect(behindText(0)).toBe('LIVE');
    expect(behindText(1.9)).toBe('LIVE');
    expect(behindText(2)).toBe('-0:02');
    expect(behindText(65.4)).toBe('-1:05');
    expect(behindText(299.6)).toBe('-5:00');
  });
});

describe(spokenBehind.name, () => {
  it('says the same in words', () => {
    expect(spokenBehind(0.5)).toBe('at live');
    expect(spokenBehind(10.2)).toBe('10 seconds behind live');
    expect(spokenBehind(61)).toBe('1 minute 1 second behind live');
    expect(spokenBehind(120)).toBe('2 minutes behind live');
  });
});
