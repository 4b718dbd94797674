import { describe, expect, it } from 'vitest';
import { initialPlaybackState, type PlaybackState } from '@reelroom/sync';
import {
  decideConversionHold,
  HOLD_MARGIN_SEC,
  OUTPACED_LEAD_SEC,
  RESUME_LEAD_SEC,
  type ConversionInput,
} from './conversion-hold.policy.js';

const MEDIA = 'm1';
const NOW = 1_000_000;
/** Playing MEDIA from `position` since NOW (so the position now is `position`). */
const playing = (position: number, seq = 3): PlaybackState => ({
  ...initialPlaybackState(),
  mediaId: MEDIA,
  paused: false,
  position,
  anchorServerTime: NOW,
  seq,
});
const input = (over: Partial<ConversionInput>): ConversionInput => ({
  playback: playing(0),
  hold: null,
  media: { id: MEDIA, durationSec: 100, ready: false },
  percent: 50,
  now: NOW,
  ...over,
});

describe('decideConversionHold', () => {
  it('lets the room play while it is well behind the converted edge', () => {
    expect(decideConversionHold(input({ playback: playing(20), percent: 50 }))).toEqual({ action: 'none' });
  });

  it('holds the room a margin before the converted edge, where the player still has room to buffer', () => {
    expect(decideConversionHold(input({ playback: playing(47), percent: 50 }))).toEqual({ action: 'hold', position: 50 - HOLD_MARGIN_SEC });
    // Past the edge already (a late report or a seek ahead): everyone goes back to what exists.
    expect(decideConversionHold(input({ playback: playing(70), percent: 50 }))).toEqual({ action: 'hold', position: 50 - HOLD_MARGIN_SEC });
  });

  it('uses the position the room has reached now, not the one it started from', () => {
    const state = { ...playing(40), anchorServerTime: NOW - 8_000 }; // 8 s of play since: at 48 now
    expect(decideConversionHold(input({ playback: state, percent: 50 }))).toEqual({ action: 'hold', position: 46 });
  });

  it('never holds a paused room, a ready video, another video, or one whose length is unknown', () => {
    expect(decideConversionHold(input({ playback: { ...playing(49), paused: true } }))).toEqual({ action: 'none' });
    expect(decideConversionHold(input({ playback: playing(49), media: { id: MEDIA, durationSec: 100, ready: true } }))).toEqual({
      action: 'none',
    });
    expect(decideConversionHold(input({ playback: { ...playing(49), mediaId: 'other' } }))).toEqual({ action: 'none' });
    expect(decideConversionHold(input({ playback: playing(49), media: { id: MEDIA, durationSec: null, ready: false } }))).toEqual({
      action: 'none',
    });
  });

  it('lets a room that starts at the first segment play when the encoder outruns it', () => {
    // 2 s of 100 converted, the room at 0: held at once when the pace is unknown or too slow...
    expect(decideConversionHold(input({ playback: playing(0), percent: 2 }))).toEqual({ action: 'hold', position: 0 });
    expect(decideConversionHold(input({ playback: playing(0), percent: 2, encodeSpeed: 1.05 }))).toEqual({ action: 'hold', position: 0 });
    // ...but not when it converts 1.5 s of media a second: the edge moves away from the room.
    expect(decideConversionHold(input({ playback: playing(0), percent: 2, encodeSpeed: 1.5 }))).toEqual({ action: 'none' });
    // At double speed the room needs an encoder twice as fast.
    expect(decideConversionHold(input({ playback: { ...playing(0), rate: 2 }, percent: 2, encodeSpeed: 1.5 }))).toEqual({
      action: 'hold',
      position: 0,
    });
  });

  it('still holds a room about to reach the edge, or past it, however fast the encoder is', () => {
    expect(decideConversionHold(input({ playback: playing(50 - OUTPACED_LEAD_SEC / 2), percent: 50, encodeSpeed: 3 }))).toEqual({
      action: 'hold',
      position: 50 - HOLD_MARGIN_SEC,
    });
    expect(decideConversionHold(input({ playback: playing(70), percent: 50, encodeSpeed: 3 }))).toEqual({
      action: 'hold',
      position: 50 - HOLD_MARGIN_SEC,
    });
  });

  it('does not hold at the end of the whole video', () => {
    expect(decideConversionHold(input({ playback: playing(99), percent: 100 }))).toEqual({ action: 'none' });
  });

  describe('while holding', () => {
    const held = (position: number) => ({ ...playing(position, 7), paused: true });
    const hold = { mediaId: MEDIA, pausedSeq: 7 };

    it('waits until the encoder is well ahead, then plays on', () => {
      expect(decideConversionHold(input({ playback: held(46), hold, percent: 50 }))).toEqual({ action: 'none' });
      expect(decideConversionHold(input({ playback: held(46), hold, percent: 46 + RESUME_LEAD_SEC - 1 }))).toEqual({ action: 'none' });
      expect(decideConversionHold(input({ playback: held(46), hold, percent: 46 + RESUME_LEAD_SEC }))).toEqual({ action: 'resume' });
    });

    it('plays on at once when the video is ready', () => {
      expect(decideConversionHold(input({ playback: held(46), hold, media: { id: MEDIA, durationSec: 100, ready: true } }))).toEqual({
        action: 'resume',
      });
    });

    it('is forgotten when someone else changed playback since the hold, or another video plays', () => {
      expect(decideConversionHold(input({ playback: { ...held(46), seq: 8 }, hold }))).toEqual({ action: 'clear' });
      expect(decideConversionHold(input({ playback: { ...held(46), paused: false }, hold }))).toEqual({ action: 'clear' });
      expect(decideConversionHold(input({ playback: { ...held(46), mediaId: 'other' }, hold }))).toEqual({ action: 'clear' });
    });

    it('ignores progress of another media', () => {
      expect(decideConversionHold(input({ playback: held(46), hold: { mediaId: 'other', pausedSeq: 7 } }))).toEqual({ action: 'none' });
    });
  });
});
