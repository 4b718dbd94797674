import { formatDuration } from '../queue/queue-format';
import { LIVE_EDGE_SEEK_SEC } from './live-latency';

/**
 * The part of a low-latency live a person can step back in, in hls.js's times (which count from the live's
 * first segment, not from the window's): from the first segment the playlist still lists to hls.js's live
 * sync position, where the room's players sit. The window bar (live-window-bar.tsx) maps it onto its
 * track; Vidstack's own DVR bar cannot, since it takes a window to start at time 0.
 */
export interface LiveWindow {
  startSec: number;
  endSec: number;
}

/** Pure: the window from hls.js's figures, or null while one is unknown (no playlist yet) or empty. */
export function liveWindowOf(fragmentStart: number | null | undefined, liveSyncPosition: number | null | undefined): LiveWindow | null {
  if (typeof fragmentStart !== 'number' || typeof liveSyncPosition !== 'number') return null;
  if (!Number.isFinite(fragmentStart) || !Number.isFinite(liveSyncPosition) || liveSyncPosition <= fragmentStart) return null;
  return { startSec: fragmentStart, endSec: liveSyncPosition };
}

/** Pure: a place as the bar shows it: inside the window (a player a moment ahead of the sync position sits at its end). */
export const placeInWindow = (placeSec: number, w: LiveWindow): number => Math.min(w.endSec, Math.max(w.startSec, placeSec));

/** Pure: whether the bar reads a place as live: as near the end as a seek that goes back with the room (atLiveEdge). */
export const isAtLive = (behindSec: number) => behindSec < LIVE_EDGE_SEEK_SEC;

/** Pure: what the bar says beside its thumb: "LIVE" with the room, else how far behind it ("-1:05"). */
export function behindText(behindSec: number): string {
  return isAtLive(behindSec) ? 'LIVE' : `-${formatDuration(behindSec)}`;
}

/** Pure: the same for a screen reader (the slider's aria-valuetext). */
export function spokenBehind(behindSec: number): string {
  if (isAtLive(behindSec)) return 'at live';
  const s = Math.round(behindSec);
  const m = Math.floor(s / 60);
  const parts = [
    m > 0 ? `${m} ${m === 1 ? 'minute' : 'minutes'}` : '',
    s % 60 > 0 ? `${s % 60} ${s % 60 === 1 ? 'second' : 'seconds'}` : '',
  ];
  return `${parts.filter(Boolean).join(' ')} behind live`;
}
