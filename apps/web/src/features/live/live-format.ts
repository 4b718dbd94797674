import { LIVE_END_SENTENCES, LIVE_SEGMENT_SECONDS, LL_WINDOW_SEGMENTS, type LiveMode, type LiveStateView } from '@reelroom/contracts';

/** How far back a low-latency playlist reaches (s): a person's pause keeps its place within it. */
export const LIVE_LOW_WINDOW_SEC = LL_WINDOW_SEGMENTS * LIVE_SEGMENT_SECONDS;

/**
 * hls.js settings for a live (reference/live.md §4.3): start and stay about two segments behind the edge,
 * speed up to 1.5x to catch up after a stall (catch-up only runs when the rate is above 1 and
 * lowLatencyMode is on), jump to the edge beyond six segments, keep 30 s behind the playhead.
 */
export const LIVE_HLS_CONFIG = {
  lowLatencyMode: true,
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 6,
  maxLiveSyncPlaybackRate: 1.5,
  backBufferLength: 30,
} as const;

/**
 * hls.js settings for a low-latency (LL-HLS) live: lowLatencyMode loads parts and blocks on playlist
 * reloads; the player aims 1.5 s behind the edge (a little above the playlist's PART-HOLD-BACK of about
 * 1.1 s, so a loaded viewer has a part or two of margin; a liveSync* setting replaces PART-HOLD-BACK as
 * hls.js's target). hls.js's own catch-up is off (maxLiveSyncPlaybackRate 1): the player holds the
 * distance itself, both ways, and brings back a player more than 2.5 s off (live-latency.ts). So hls.js's
 * own jump to the edge (liveMaxLatencyDuration) is only for a person who paused on their own: it happens
 * when their place is about to leave the playlist's window (4 s before).
 * The seconds forms only: hls.js's constructor throws when a `...Count` and a `...Duration` are mixed, or
 * when liveMaxLatencyDurationCount comes without liveSyncDurationCount, and Vidstack then leaves the
 * stream to the browser (Chromium's own HLS, which does not play LL-HLS: issue 8's "stuck at 0").
 */
export const LIVE_LOW_HLS_CONFIG = {
  lowLatencyMode: true,
  liveSyncDuration: 1.5,
  liveMaxLatencyDuration: LIVE_LOW_WINDOW_SEC - 4,
  maxLiveSyncPlaybackRate: 1,
  backBufferLength: 30,
  // hls.js moves its target this much further back after every stall (its default is 1 s, for good):
  // a smaller step, undone by restoredTarget once playback has been smooth for a while.
  liveSyncOnStallIncrease: 0.5,
} as const;

/** Playback without a stall for this long puts hls.js's target latency back where it started. */
export const SMOOTH_BEFORE_RESTORE_MS = 20_000;

/**
 * The target latency to give hls.js back, or null to leave it. hls.js adds `liveSyncOnStallIncrease` to
 * its target after every stall and never takes it back within a session: one stall while a low-latency
 * live starts (common: the first parts arrive as the player starts) left a viewer a second further behind
 * for the rest of the live (bench/live: 2.5 s behind the edge instead of 1.5 s). A viewer whose network
 * or machine keeps stalling keeps the larger margin; one that has played smoothly for a while gets the
 * base target again (hls.js then catches up by playing a little faster).
 */
export function restoredTarget(o: { now: number; lastStallAt: number | null; target: number | null; base: number }): number | null {
  if (o.target === null || o.target <= o.base + 0.01) return null;
  if (o.lastStallAt !== null && o.now - o.lastStallAt < SMOOTH_BEFORE_RESTORE_MS) return null;
  return o.base;
}

/** The hls.js settings for a live's mode. */
export const liveHlsConfig = (mode: LiveMode) => (mode === 'low' ? LIVE_LOW_HLS_CONFIG : LIVE_HLS_CONFIG);

/**
 * For bench/live's A/B only (`localStorage['reelroom.liveHold'] = 'off'`): a low-latency player without
 * the distance hold, on hls.js's own catch-up (up to 1.5x, never slower), as before the hold.
 */
export const LIVE_HOLD_OFF_KEY = 'reelroom.liveHold';
export function liveHoldDisabled(read: () => string | null = () => window.localStorage.getItem(LIVE_HOLD_OFF_KEY)): boolean {
  try {
    return read() === 'off';
  } catch {
    return false; // storage refused (privacy settings): the product's default
  }
}
export const LIVE_LOW_HLS_CONFIG_HOLD_OFF = { ...LIVE_LOW_HLS_CONFIG, maxLiveSyncPlaybackRate: 1.5 } as const;

/** "2.4 s behind live"; null until hls.js has measured it. */
export function behindLiveLabel(latencySec: number | null | undefined): string | null {
  if (latencySec === null || latencySec === undefined || !Number.isFinite(latencySec) || latencySec < 0) return null;
  return `${latencySec.toFixed(1)} s behind live`;
}

/** What this page has seen of the current live. */
export interface LiveSeen {
  /** Starting or live: an end is worth announcing. */
  any: boolean;
  /** On air: a later `starting` means the encoder dropped and may come back. */
  onAir: boolean;
}

/** What the stage shows for the room's live, or null when there is no live to speak of. */
export function liveNotice(live: LiveStateView, seen: LiveSeen): string | null {
  switch (live.status) {
    case 'starting':
      return seen.onAir ? "The host's stream dropped. Reconnecting…" : 'The host is going live. The stream starts in a few seconds…';
    case 'ended':
      if (!seen.any) return null;
      return `${live.endReason ? LIVE_END_SENTENCES[live.endReason] : 'Live ended.'} ${
        live.replayMediaId ? 'The recording is in the videos list.' : 'The recording will appear in the videos list in a moment.'
      }`;
    default:
      return null;
  }
}

/**
 * Should `next` replace `current`? A GET and a socket event may cross. A newer live (later startedAt)
 * always wins; within one live, starting and live alternate (an encoder reconnecting), but nothing comes
 * back from `ended` except the replay id appearing.
 */
export function shouldReplace(current: LiveStateView | null, next: LiveStateView): boolean {
  if (!current) return true;
  if (current.startedAt !== next.startedAt) return (next.startedAt ?? '') >= (current.startedAt ?? '');
  if (current.status === 'ended') return next.status === 'ended' && !!next.replayMediaId && !current.replayMediaId;
  return next.status !== 'idle';
}
