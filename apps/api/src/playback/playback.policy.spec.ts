import { describe, expect, it } from 'vitest';
import { initialPlaybackState } from '@reelroom/sync';
import {
  canControl,
  computeLeadMs,
  decideWait,
  formatClock,
  systemLine,
  usesLead,
  WAIT_TIMEOUT_MS,
  type WaitMember,
} from './playback.policy.js';

const member = (userId: string, state: string | null, over: Partial<WaitMember> = {}): WaitMember => ({
  userId,
  name: userId.toUpperCase(),
  connections: 1,
  player: state ? { state, noWait: false } : null,
  ...over,
});
const playing = { paused: false, seq: 4, mediaId: 'm' };

describe('canControl', () => {
  it('lets every member control an unlocked room, only host and moderators a locked one, never strangers', () => {
    expect(canControl('viewer', false)).toBe(true);
    expect(canControl('viewer', true)).toBe(false);
    expect(canControl('moderator', true)).toBe(true);
    expect(canControl('host', true)).toBe(true);
    expect(canControl(null, false)).toBe(false);
  });
});

describe('computeLeadMs', () => {
  it('is twice the slowest round trip, at least 300 ms and at most 1 s', () => {
    expect(computeLeadMs([])).toBe(300);
    expect(computeLeadMs([20, 80, null])).toBe(300);
    expect(computeLeadMs([20, 240])).toBe(480);
    expect(computeLeadMs([900, Number.NaN])).toBe(1000);
  });
});

describe('usesLead', () => {
  it('is true exactly for the commands applyCommand schedules ahead', () => {
    const mediaId = '00000000-0000-4000-8000-000000000000';
    expect(usesLead({ type: 'play', baseSeq: 0 })).toBe(true);
    expect(usesLead({ type: 'seek', position: 3, baseSeq: 0 })).toBe(true);
    expect(usesLead({ type: 'media', mediaId, play: true, baseSeq: 0 })).toBe(true);
    expect(usesLead({ type: 'media', mediaId, baseSeq: 0 })).toBe(false);
    expect(usesLead({ type: 'pause', baseSeq: 0 })).toBe(false);
    expect(usesLead({ type: 'rate', rate: 1.5, baseSeq: 0 })).toBe(false);
  });
});

describe('system lines', () => {
  it('says who did what, at which moment', () => {
    const s = { ...initialPlaybackState(), mediaId: 'm', position: 723.4, rate: 1.5 };
    expect(systemLine({ type: 'pause', baseSeq: 0 }, s, 'Ana')).toBe('Ana paused at 12:03');
    expect(systemLine({ type: 'seek', position: 2470, baseSeq: 0 }, { ...s, position: 2470 }, 'Ana')).toBe('Ana jumped to 41:10');
    expect(systemLine({ type: 'rate', rate: 1.5, baseSeq: 0 }, s, 'Ana')).toBe('Ana set the speed to 1.5x');
    expect(systemLine({ type: 'media', mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', baseSeq: 0 }, s, 'Ana', 'Film.mp4')).toBe(
      'Ana started Film.mp4',
    );
    expect(formatClock(3723)).toBe('1:02:03');
  });
});

describe('decideWait (wait for everyone)', () => {
  const base = { enabled: true, playback: playing, wait: null, now: 1_000 };

  it('pauses the playing room when a member stalls, unless they opted out or the option is off', () => {
    expect(decideWait({ ...base, members: [member('a', 'playing'), member('b', 'buffering')] })).toMatchObject({
      action: 'pause',
      waitingFor: [{ userId: 'b' }],
    });
    expect(decideWait({ ...base, members: [member('b', 'buffering', { player: { state: 'buffering', noWait: true } })] })).toEqual({
      action: 'none',
    });
    expect(decideWait({ ...base, enabled: false, members: [member('b', 'buffering')] })).toEqual({ action: 'none' });
    expect(decideWait({ ...base, playback: { ...playing, paused: true }, members: [member('b', 'buffering')] })).toEqual({
      action: 'none',
    });
    expect(decideWait({ ...base, members: [member('b', 'buffering', { connections: 0 })] })).toEqual({ action: 'none' });
    expect(decideWait({ ...base, coolingDown: true, members: [member('b', 'buffering')] })).toEqual({ action: 'none' });
  });

  it('walks a stall through with a fake clock: pause, keep waiting, resume when ready', () => {
    let now = 0;
    const members = [member('a', 'playing'), member('b', 'buffering')];
    const first = decideWait({ ...base, now, members });
    expect(first.action).toBe('pause');
    const wait = { since: now, pausedSeq: 5, waitingFor: ['b'] };
    const paused = { paused: true, seq: 5, mediaId: 'm' };
    now += 3_000;
    expect(decideWait({ ...base, playback: paused, wait, now, members: [member('a', 'paused'), member('b', 'buffering')] })).toEqual({
      action: 'none',
    });
    now += 1_000;
    expect(decideWait({ ...base, playback: paused, wait, now, members: [member('a', 'paused'), member('b', 'paused')] })).toEqual({
      action: 'resume',
      reason: 'ready',
    });
  });

  it('gives up after the timeout, and lets a person take over', () => {
    const wait = { since: 0, pausedSeq: 5, waitingFor: ['b'] };
    const paused = { paused: true, seq: 5, mediaId: 'm' };
    const stuck = [member('b', 'buffering')];
    expect(decideWait({ ...base, playback: paused, wait, now: WAIT_TIMEOUT_MS - 1, members: stuck }).action).toBe('none');
    expect(decideWait({ ...base, playback: paused, wait, now: WAIT_TIMEOUT_MS, members: stuck })).toEqual({
      action: 'resume',
      reason: 'timeout',
    });
    expect(decideWait({ ...base, playback: { ...paused, seq: 6, paused: false }, wait, now: 10, members: stuck })).toEqual({
      action: 'clear',
    });
    expect(decideWait({ ...base, enabled: false, playback: paused, wait, now: 10, members: stuck })).toEqual({
      action: 'resume',
      reason: 'disabled',
    });
  });
});
