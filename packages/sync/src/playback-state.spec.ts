import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  expectedPosition,
  initialPlaybackState,
  MAX_RATE,
  MIN_RATE,
  playbackCommandSchema,
  toRoomRate,
  type PlaybackState,
} from './playback-state.js';

const by = { userId: 'u1', name: 'Ana' };
const withMedia = (over: Partial<PlaybackState> = {}): PlaybackState => ({ ...initialPlaybackState(), mediaId: 'm1', seq: 3, ...over });

describe('expectedPosition', () => {
  it('stays put while paused and before a scheduled start', () => {
    expect(expectedPosition(withMedia({ position: 12, paused: true, anchorServerTime: 1000 }), 99_000)).toBe(12);
    expect(expectedPosition(withMedia({ position: 12, paused: false, anchorServerTime: 5000 }), 4000)).toBe(12);
  });

  it('advances at the room rate from the anchor', () => {
    expect(expectedPosition(withMedia({ position: 10, paused: false, anchorServerTime: 1000 }), 3000)).toBe(12);
    expect(expectedPosition(withMedia({ position: 10, paused: false, rate: 1.5, anchorServerTime: 1000 }), 3000)).toBe(13);
  });
});

describe('applyCommand', () => {
  const now = 100_000;

  it('schedules play ahead by the lead time, from where playback is', () => {
    const r = applyCommand(withMedia({ position: 30 }), { type: 'play', baseSeq: 3 }, { now, leadMs: 400, by });
    expect(r).toEqual({
      ok: true,
      state: expect.objectContaining({ paused: false, position: 30, anchorServerTime: now + 400, seq: 4, by }) as PlaybackState,
    });
  });

  it('pauses at the current expected position, effective now', () => {
    const playing = withMedia({ position: 30, paused: false, anchorServerTime: now - 2000 });
    const r = applyCommand(playing, { type: 'pause', baseSeq: 3 }, { now, leadMs: 400, by });
    expect(r.ok && r.state).toMatchObject({ paused: true, position: 32, anchorServerTime: now });
  });

  it('seeks while playing with the lead, and while paused without it, clamped to the duration', () => {
    const playing = withMedia({ paused: false, anchorServerTime: now - 1000 });
    const a = applyCommand(playing, { type: 'seek', position: 50, baseSeq: 3 }, { now, leadMs: 400, by });
    expect(a.ok && a.state).toMatchObject({ position: 50, anchorServerTime: now + 400, paused: false });
    const b = applyCommand(withMedia(), { type: 'seek', position: 500, baseSeq: 3 }, { now, leadMs: 400, by, durationSec: 120 });
    expect(b.ok && b.state).toMatchObject({ position: 120, anchorServerTime: now });
  });

  it('changes speed without moving anyone: re-anchored at the current position', () => {
    const playing = withMedia({ position: 10, paused: false, anchorServerTime: now - 4000 });
    const r = applyCommand(playing, { type: 'rate', rate: 2, baseSeq: 3 }, { now, leadMs: 400, by });
    expect(r.ok && r.state).toMatchObject({ rate: 2, position: 14, anchorServerTime: now });
    expect(r.ok && expectedPosition(r.state, now + 1000)).toBe(16);
  });

  it('starts new media for everyone when asked to play it, scheduled one lead ahead', () => {
    const r = applyCommand(
      withMedia({ rate: 1.25 }),
      { type: 'media', mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', play: true, baseSeq: 3 },
      { now: 1_000, leadMs: 300, by: { userId: 'u', name: 'U' } },
    );
    expect(r.ok && r.state).toMatchObject({ paused: false, position: 0, rate: 1.25, anchorServerTime: 1_300 });
  });

  it('loads new media paused at the start, keeping the room speed', () => {
    const r = applyCommand(
      withMedia({ rate: 1.25, position: 99, paused: false }),
      { type: 'media', mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', baseSeq: 3 },
      { now, leadMs: 400, by },
    );
    expect(r.ok && r.state).toMatchObject({ mediaId: '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11', paused: true, position: 0, rate: 1.25 });
  });

  it('drops a command based on a state someone else has changed since, and playback commands before any media', () => {
    const changedByBo = withMedia({ seq: 5, by: { userId: 'u2', name: 'Bo' } });
    expect(applyCommand(changedByBo, { type: 'play', baseSeq: 4 }, { now, leadMs: 400, by })).toEqual({ ok: false, reason: 'stale' });
    expect(applyCommand(initialPlaybackState(), { type: 'play', baseSeq: 0 }, { now, leadMs: 400, by })).toEqual({
      ok: false,
      reason: 'no-media',
    });
  });
});

describe('applyCommand in quick succession', () => {
  it("applies a person's second command even though it was sent before their first one's reply", () => {
    const afterMySpeedChange = withMedia({ seq: 5, rate: 1.5, by });
    const r = applyCommand(afterMySpeedChange, { type: 'play', baseSeq: 4 }, { now: 1000, leadMs: 300, by });
    expect(r.ok && r.state).toMatchObject({ paused: false, rate: 1.5, seq: 6 });
  });
});

describe('playbackCommandSchema', () => {
  it('refuses speeds outside 0.5-2, negative or absurd positions, and unknown types', () => {
    expect(playbackCommandSchema.safeParse({ type: 'rate', rate: 3, baseSeq: 0 }).success).toBe(false);
    expect(playbackCommandSchema.safeParse({ type: 'rate', rate: 0.25, baseSeq: 0 }).success).toBe(false);
    expect(playbackCommandSchema.safeParse({ type: 'seek', position: -1, baseSeq: 0 }).success).toBe(false);
    expect(playbackCommandSchema.safeParse({ type: 'seek', position: Number.POSITIVE_INFINITY, baseSeq: 0 }).success).toBe(false);
    expect(playbackCommandSchema.safeParse({ type: 'eject', baseSeq: 0 }).success).toBe(false);
    expect(playbackCommandSchema.safeParse({ type: 'seek', position: 10, baseSeq: 2 }).success).toBe(true);
  });
});

describe('toRoomRate', () => {
  it('rounds an element rate to 1 % and keeps it within the limits the schema accepts', () => {
    expect(toRoomRate(1.2345)).toBe(1.23);
    expect(toRoomRate(0.1)).toBe(MIN_RATE);
    expect(toRoomRate(16)).toBe(MAX_RATE);
    for (const r of [0.1, 0.999, 3])
      expect(playbackCommandSchema.safeParse({ type: 'rate', rate: toRoomRate(r), baseSeq: 0 }).success).toBe(true);
  });
});

describe('a live in the room (issue 8)', () => {
  const now = 100_000;
  const LIVE = '7f1d2f1e-1c7a-4a57-9a43-0a3c1c0f2b11';
  const opts = { now, leadMs: 500, by };

  it("switches the room to the live at the switching player's live position, playing for everyone from there", () => {
    const r = applyCommand(withMedia({ paused: true, position: 40 }), { type: 'live', liveId: LIVE, position: 120.5, baseSeq: 3 }, opts);
    expect(r.ok && r.state).toMatchObject({
      liveId: LIVE,
      mediaId: null,
      paused: false,
      position: 120.5,
      rate: 1,
      anchorServerTime: now + 500,
      seq: 4,
    });
    // Everyone derives the same live position: the same distance behind the edge, which moves with the clock.
    const state = r.ok ? r.state : initialPlaybackState();
    expect(expectedPosition(state, now + 500 + 10_000)).toBeCloseTo(130.5);
  });

  it("refuses pause, seek, play and speed for the room while it plays a live: those are each person's own", () => {
    const onLive = withMedia({ mediaId: null, liveId: LIVE, paused: false, position: 10, anchorServerTime: now });
    for (const cmd of [
      { type: 'pause', baseSeq: 3 },
      { type: 'play', baseSeq: 3 },
      { type: 'seek', position: 5, baseSeq: 3 },
      { type: 'rate', rate: 1.5, baseSeq: 3 },
    ] as const)
      expect(applyCommand(onLive, cmd, opts)).toEqual({ ok: false, reason: 'live' });
  });

  it('goes back to a library video, which drops the live', () => {
    const onLive = withMedia({ mediaId: null, liveId: LIVE, paused: false });
    const r = applyCommand(onLive, { type: 'media', mediaId: 'm2', baseSeq: 3 }, opts);
    expect(r.ok && r.state).toMatchObject({ mediaId: 'm2', paused: true, position: 0 });
    expect(r.ok && 'liveId' in r.state).toBe(false);
  });

  it('accepts only a live id and a position in the command', () => {
    expect(playbackCommandSchema.safeParse({ type: 'live', liveId: LIVE, position: 3, baseSeq: 0 }).success).toBe(true);
    expect(playbackCommandSchema.safeParse({ type: 'live', liveId: '../x', position: 3, baseSeq: 0 }).success).toBe(false);
    expect(playbackCommandSchema.safeParse({ type: 'live', liveId: LIVE, baseSeq: 0 }).success).toBe(false);
  });
});
