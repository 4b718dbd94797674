import { describe, expect, it } from 'vitest';
import type { PlaybackStateView } from '@reelroom/contracts';
import { DEFAULT_POLICY } from '@reelroom/sync';
import {
  CatchUpWindow,
  describeDrift,
  EchoFilter,
  isNewer,
  localTimeOf,
  planPlay,
  roomPositionAt,
  showResync,
  Smoothed,
} from './sync-math';

const state = (over: Partial<PlaybackStateView> = {}): PlaybackStateView => ({
  mediaId: 'm',
  paused: false,
  position: 10,
  rate: 1,
  anchorServerTime: 100_000,
  seq: 3,
  by: null,
  ...over,
});

describe('scheduling', () => {
  it('converts a server instant to local time with the clock offset', () => {
    expect(localTimeOf(100_000, 2_500)).toBe(97_500);
  });

  it('holds before a scheduled start, then joins in at the live position, at the room rate', () => {
    expect(planPlay(state(), 99_600)).toEqual({ kind: 'scheduled', startInMs: 400, at: 10 });
    expect(planPlay(state(), 102_000)).toEqual({ kind: 'now', at: 12 });
    expect(roomPositionAt(state({ rate: 1.5 }), 102_000)).toBe(13);
    expect(roomPositionAt(state({ paused: true }), 200_000)).toBe(10);
  });

  it('drops older states and accepts equal ones (reminders)', () => {
    expect(isNewer(state({ seq: 2 }), state())).toBe(false);
    expect(isNewer(state({ seq: 3 }), state())).toBe(true);
    expect(isNewer(state(), null)).toBe(true);
  });

  it('smooths the seek latency and ignores absurd samples', () => {
    const s = new Smoothed(100, 0.5);
    expect(s.add(300)).toBe(200);
    expect(s.add(Number.NaN)).toBe(200);
    expect(s.add(60_000)).toBe(200);
  });
});

describe(EchoFilter.name, () => {
  it('recognises the engine’s own play/pause, seeks and rate changes, and lets the person’s through', () => {
    const f = new EchoFilter();
    f.wantPaused = false;
    expect(f.isEchoPlayPause('play')).toBe(true);
    expect(f.isEchoPlayPause('pause')).toBe(false); // the person paused
    f.engineSeek(42, 1_000);
    expect(f.isEchoSeek(42.01, 1_500)).toBe(true);
    expect(f.isEchoSeek(42.01, 1_600)).toBe(false); // consumed: a second seek there is the person's
    f.engineSeek(42, 1_000);
    expect(f.isEchoSeek(42, 5_000)).toBe(false); // too late to be ours
    f.rate = 1.03;
    expect(f.isEchoRate(1.03)).toBe(true);
    expect(f.isEchoRate(1.5)).toBe(false);
  });
});

describe('resync control', () => {
  it('shows beyond 1.5 s, or beyond 0.5 s with auto-sync off', () => {
    expect(showResync(-1600, true)).toBe(true);
    expect(showResync(-800, true)).toBe(false);
    expect(showResync(-800, false)).toBe(true);
    expect(showResync(null, false)).toBe(false);
    expect(showResync(-800, true, { ...DEFAULT_POLICY, seekThresholdMs: 700 })).toBe(true);
    expect(describeDrift(-2340)).toBe('2.3 s behind');
    expect(describeDrift(12_600)).toBe('13 s ahead');
  });
});

describe(CatchUpWindow.name, () => {
  const { startCatchUpWindowMs: windowMs, startCatchUpThresholdMs: thresholdMs } = DEFAULT_POLICY;

  it('allows one catch-up seek per start, inside the window opened by that start', () => {
    const w = new CatchUpWindow();
    expect(w.take(-400, 1000, true)).toBe(false); // no start yet
    w.open(1000);
    expect(w.take(-thresholdMs + 1, 1100, true)).toBe(false); // small: left to the nudge, window kept
    expect(w.take(-400, 1200, true)).toBe(true);
    expect(w.take(-400, 1300, true)).toBe(false); // spent
    w.open(5000);
    expect(w.take(300, 5000 + windowMs, true)).toBe(false); // closed
    w.open(9000);
    expect(w.take(300, 9100, false)).toBe(false); // auto-sync off
    expect(w.take(300, 9100, true)).toBe(true);
  });
});
