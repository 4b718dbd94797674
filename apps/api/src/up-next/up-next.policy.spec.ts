import { describe, expect, it } from 'vitest';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import { canManageQueue, endsAt, hasEnded, votesNeeded } from './up-next.policy.js';

const MEDIA = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
const playing = (over: Partial<PlaybackState> = {}): PlaybackState => ({
  ...initialPlaybackState(),
  mediaId: MEDIA,
  paused: false,
  position: 10,
  anchorServerTime: 1_000_000,
  seq: 3,
  ...over,
});

describe('up-next policy', () => {
  it('lets host and moderators manage the queue, everyone when it is open, never a non-member', () => {
    expect(canManageQueue('host', false)).toBe(true);
    expect(canManageQueue('moderator', false)).toBe(true);
    expect(canManageQueue('viewer', false)).toBe(false);
    expect(canManageQueue('viewer', true)).toBe(true);
    expect(canManageQueue(null, true)).toBe(false);
  });

  it('needs a majority of the people present to skip', () => {
    expect([0, 1, 2, 3, 4, 5].map(votesNeeded)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('decides the end by the server clock and the duration, never while paused or with an unknown length', () => {
    const st = playing(); // at 10 s at t=1_000_000, 20 s long: ends at t=1_010_000 (less the slack)
    expect(hasEnded(st, 20, 1_009_000)).toBe(false);
    expect(hasEnded(st, 20, 1_009_800)).toBe(true);
    expect(hasEnded(playing({ paused: true, position: 20 }), 20, 2_000_000)).toBe(false);
    expect(hasEnded(st, null, 9_000_000)).toBe(false);
    expect(endsAt(st, 20)).toBeCloseTo(1_009_700);
    expect(endsAt(playing({ rate: 2 }), 20)).toBeCloseTo(1_004_850);
    expect(endsAt(playing({ paused: true }), 20)).toBeNull();
  });
});
