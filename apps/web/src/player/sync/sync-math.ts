import type { PlaybackStateView } from '@reelroom/contracts';
import { DEFAULT_POLICY, shouldCatchUp, type CorrectionPolicy } from '@reelroom/sync';

/**
 * The pure arithmetic of the web sync engine, unit-tested without a browser.
 * Times: `local` = this page's Date.now(); `server` = local + offsetMs (ClockEstimator).
 */

/**
 * Whether the room plays something this page follows: a library video (`mediaId`) or the room's live
 * (`liveId`, issue 8: its position is the live's media time, advancing like a playing video's).
 */
export const followsSomething = (state: PlaybackStateView | null): state is PlaybackStateView => !!(state?.mediaId || state?.liveId);

/** The person's own action on the element while the room plays a live: theirs alone, never a command. */
export type LiveAction = 'play' | 'pause' | 'seek' | 'rate';

/**
 * Whether the person's own action on a live leaves the room's live position for their own (held until
 * "Jump to live"). A pause or a change of speed does. A seek alone does not: hls.js seeks by itself (to
 * its start position, over a gap), and a held player is scrubbed freely anyway (pause, then rewind).
 * Play after a pause goes on from where the person is, still held.
 */
export const holdsLive = (action: LiveAction, held: boolean): boolean => action === 'pause' || action === 'rate' || held;

/** Local time at which a server instant happens here. */
export const localTimeOf = (serverTime: number, offsetMs: number): number => serverTime - offsetMs;

/** Where the room is at a server instant (s); mirrors @reelroom/sync expectedPosition. */
export function roomPositionAt(state: PlaybackStateView, serverNow: number): number {
  if (state.paused || serverNow <= state.anchorServerTime) return state.position;
  return state.position + ((serverNow - state.anchorServerTime) / 1000) * state.rate;
}

/** What to do now with a playing state: wait for the scheduled start, or join in at the live position. */
export type PlayPlan = { kind: 'scheduled'; startInMs: number; at: number } | { kind: 'now'; at: number };

export function planPlay(state: PlaybackStateView, serverNow: number): PlayPlan {
  const startInMs = state.anchorServerTime - serverNow;
  if (startInMs > 0) return { kind: 'scheduled', startInMs, at: state.position };
  return { kind: 'now', at: roomPositionAt(state, serverNow) };
}

/** Is `next` newer than what we hold? Equal seq is a periodic reminder: apply too (idempotent). */
export const isNewer = (next: PlaybackStateView, held: PlaybackStateView | null): boolean => !held || next.seq >= held.seq;

/** Exponentially smoothed seek latency: one slow seek must not dominate, one fast one must not erase history. */
export class Smoothed {
  constructor(
    public value: number,
    private readonly weight = 0.3,
  ) {}
  add(sample: number): number {
    if (Number.isFinite(sample) && sample >= 0 && sample < 10_000) this.value = this.value * (1 - this.weight) + sample * this.weight;
    return this.value;
  }
}

/**
 * Tells the element events the engine caused from those the person caused. The engine states what it
 * wants (paused, rate, a seek target with a deadline); an event matching that wish is an echo.
 */
export class EchoFilter {
  wantPaused = true;
  rate = 1;
  private seekTarget: number | null = null;
  private seekUntil = 0;

  engineSeek(toSec: number, now: number): void {
    this.seekTarget = toSec;
    this.seekUntil = now + 2_000;
  }

  /** True when the 'play'/'pause' event is what the engine asked for. */
  isEchoPlayPause(type: 'play' | 'pause'): boolean {
    return (type === 'pause') === this.wantPaused;
  }

  /** True when a 'seeking' to `currentTime` is the engine's own seek (within 50 ms of its target). */
  isEchoSeek(currentTime: number, now: number): boolean {
    if (this.seekTarget === null || now > this.seekUntil) return false;
    const echo = Math.abs(currentTime - this.seekTarget) < 0.05;
    if (echo) this.seekTarget = null;
    return echo;
  }

  /** True when the element plays at the rate the engine set (a nudge or the room rate). */
  isEchoRate(playbackRate: number): boolean {
    return Math.abs(playbackRate - this.rate) < 1e-3;
  }
}

/** The "N s behind · Resync" control: shown when far off, or when auto-sync is off and visibly off. */
export function showResync(driftMs: number | null, autoSync: boolean, policy: CorrectionPolicy = DEFAULT_POLICY): boolean {
  if (driftMs === null) return false;
  return Math.abs(driftMs) > policy.seekThresholdMs || (!autoSync && Math.abs(driftMs) > policy.manualResyncHintMs);
}

export function describeDrift(driftMs: number): string {
  const s = Math.abs(driftMs) / 1000;
  const n = s >= 10 ? Math.round(s) : Math.round(s * 10) / 10;
  return `${n} s ${driftMs < 0 ? 'behind' : 'ahead'}`;
}

/**
 * The start catch-up of @reelroom/sync (shouldCatchUp) for one page: every start opens a window, and the
 * one latency-compensated seek it allows is used at most once.
 */
export class CatchUpWindow {
  private until = 0;
  private used = false;

  constructor(private readonly policy: CorrectionPolicy = DEFAULT_POLICY) {}

  open(now: number): void {
    this.until = now + this.policy.startCatchUpWindowMs;
    this.used = false;
  }

  /** True (and the window spent) when this drift, now, calls for the catch-up seek. */
  take(driftMs: number, now: number, autoSync: boolean): boolean {
    if (!shouldCatchUp({ driftMs, now, windowUntil: this.until, used: this.used, autoSync }, this.policy)) return false;
    this.used = true;
    return true;
  }
}
