import Hls from 'hls.js';
import { describe, expect, it } from 'vitest';
import {
  behindLiveLabel,
  LIVE_LOW_HLS_CONFIG_HOLD_OFF,
  liveHlsConfig,
  liveHoldDisabled,
  liveNotice,
  restoredTarget,
  shouldReplace,
  SMOOTH_BEFORE_RESTORE_MS,
} from './live-format';
import { liveView } from './testing/live-view';

const view = liveView;
const T1 = '2026-12-05T20:00:00.000Z';
const T2 = '2026-12-05T21:00:00.000Z';

describe('behindLiveLabel', () => {
  it('rounds to a tenth and says nothing before a measure', () => {
    expect(behindLiveLabel(2.46)).toBe('2.5 s behind live');
    expect(behindLiveLabel(null)).toBeNull();
    expect(behindLiveLabel(Number.NaN)).toBeNull();
  });
});

describe('liveNotice', () => {
  it('announces a start, a reconnect after being on air, and an end only to those who saw the live', () => {
    const none = { any: false, onAir: false };
    const onAir = { any: true, onAir: true };
    expect(liveNotice(view({ status: 'starting' }), none)).toMatch(/going live/);
    expect(liveNotice(view({ status: 'starting' }), onAir)).toMatch(/Reconnecting…$/);
    expect(liveNotice(view({ status: 'ended' }), none)).toBeNull();
    expect(liveNotice(view({ status: 'ended' }), { any: true, onAir: false })).toMatch(/^Live ended/);
    expect(liveNotice(view({ status: 'ended', replayMediaId: 'm' }), onAir)).toMatch(/in the videos list\.$/);
    expect(liveNotice(view({ status: 'live' }), onAir)).toBeNull();
  });

  it('says why when the server ended the live on a bound', () => {
    const onAir = { any: true, onAir: true };
    expect(liveNotice(view({ status: 'ended', endReason: 'max-duration' }), onAir)).toMatch(/^The live reached the longest a live may run/);
    expect(liveNotice(view({ status: 'ended', endReason: 'disk-limit', replayMediaId: 'm' }), onAir)).toMatch(
      /^The live reached the disk space .* The recording is in the videos list\.$/,
    );
  });
});

describe('shouldReplace', () => {
  it('follows a live through reconnects, never back from its end, and follows a newer live', () => {
    const live = view({ status: 'live', startedAt: T1 });
    expect(shouldReplace(null, live)).toBe(true);
    expect(shouldReplace(live, view({ status: 'starting', startedAt: T1 }))).toBe(true);
    expect(shouldReplace(view({ status: 'ended', startedAt: T1 }), live)).toBe(false);
    expect(shouldReplace(live, view({ status: 'ended', startedAt: T1 }))).toBe(true);
    expect(shouldReplace(view({ status: 'ended', startedAt: T1 }), view({ status: 'ended', startedAt: T1, replayMediaId: 'm' }))).toBe(
      true,
    );
    expect(shouldReplace(view({ status: 'ended', startedAt: T1 }), view({ status: 'starting', startedAt: T2 }))).toBe(true);
  });
});

describe('liveHlsConfig', () => {
  it.each(['standard', 'low'] as const)('%s: hls.js accepts it (its constructor throws on a bad latency combination)', (mode) => {
    const hls = new Hls({ ...liveHlsConfig(mode) });
    expect(hls.config).toMatchObject(liveHlsConfig(mode));
    hls.destroy();
  });

  it('low: LL-HLS parts, 1.5 s behind with the rate left to the player (live-latency.ts), a jump only for a place about to leave the five-minute window, and half a second more per stall; standard: two segments behind', () => {
    expect(liveHlsConfig('low')).toMatchObject({
      lowLatencyMode: true,
      liveSyncDuration: 1.5,
      liveMaxLatencyDuration: 296,
      liveSyncOnStallIncrease: 0.5,
    });
    expect(liveHlsConfig('low').maxLiveSyncPlaybackRate).toBe(1);
    expect(new Hls({ ...LIVE_LOW_HLS_CONFIG_HOLD_OFF }).config.maxLiveSyncPlaybackRate).toBe(1.5);
    expect(liveHlsConfig('standard')).toMatchObject({ lowLatencyMode: true, liveSyncDurationCount: 2 });
  });
});

describe('liveHoldDisabled', () => {
  it('is off only when bench/live asks for it, and on when storage refuses', () => {
    expect(liveHoldDisabled(() => 'off')).toBe(true);
    expect(liveHoldDisabled(() => null)).toBe(false);
    expect(
      liveHoldDisabled(() => {
        throw new Error('SecurityError');
      }),
    ).toBe(false);
  });
});

describe('restoredTarget', () => {
  const base = 1.5;

  it('gives the base target back once playback has been smooth for a while after a stall', () => {
    expect(restoredTarget({ now: 30_000, lastStallAt: 5_000, target: 2, base })).toBe(base);
    expect(restoredTarget({ now: 30_000, lastStallAt: null, target: 2, base })).toBe(base); // stalled before it was watched
  });

  it('leaves a target raised by a recent stall, and one already at the base', () => {
    expect(restoredTarget({ now: 30_000, lastStallAt: 30_000 - SMOOTH_BEFORE_RESTORE_MS + 1, target: 2, base })).toBeNull();
    expect(restoredTarget({ now: 30_000, lastStallAt: 0, target: base, base })).toBeNull();
    expect(restoredTarget({ now: 30_000, lastStallAt: 0, target: null, base })).toBeNull(); // no playlist yet
  });
});
