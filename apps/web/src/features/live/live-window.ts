import { formatDuration } from '../queue/queue-format';
import { nearLiveEdge } from './live-latency';

/**
 * The part of a low-latency live a person can step back in, in hls.js's times (which count from the
 * first segment it loaded, not from the window's): from the first segment the playlist still lists (a
 * little later in a full window: liveWindowOf) to hls.js's live sync position, where the room's players
 * sit. The window bar (live-window-bar.tsx) maps it onto its track; Vidstack's own DVR bar cannot, since
 * it takes a window to start at time 0.
 */
export interface LiveWindow {
  startSec: number;
  endSec: number;
}

/**
 * How far inside hls.js's own limit the window starts: hls.js moves a player further back than
 * `liveMaxLatencyDuration` from the edge to its live sync position (synchronizeToLiveEdge, on every
 * playlist update, paused or not), so the first seconds of the playlist are no place to seek to.
 */
export const WINDOW_START_MARGIN_SEC = 2;

export interface WindowFigures {
  /** hls.js: the start of the first listed segment (LevelDetails.fragmentStart). */
  fragmentStart: number | null | undefined;
  /** hls.js: the end of the last listed segment (LevelDetails.edge). */
  edge: number | null | undefined;
  /** hls.js: where it puts a player (edge minus its target latency). */
  liveSyncPosition: number | null | undefined;
  /** hls.js's config.liveMaxLatencyDuration. */
  maxLatencySec: number;
}

const known = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * Pure: the window from hls.js's figures: from the first listed segment, or from WINDOW_START_MARGIN_SEC
 * inside hls.js's latency limit when that is later, to the live sync position. null while a figure is
 * unknown (no playlist yet) or the window is empty.
 */
export function liveWindowOf(f: WindowFigures): LiveWindow | null {
  if (!known(f.fragmentStart) || !known(f.edge) || !known(f.liveSyncPosition)) return null;
  const startSec = Math.max(f.fragmentStart, f.edge - f.maxLatencySec + WINDOW_START_MARGIN_SEC);
  return f.liveSyncPosition > startSec ? { startSec, endSec: f.liveSyncPosition } : null;
}

/** Pure: a place as the bar shows it: inside the window (a player a moment ahead of the sync position sits at its end). */
export const placeInWindow = (placeSec: number, w: LiveWindow): number => Math.min(w.endSec, Math.max(w.startSec, placeSec));

/**
 * Pure: what the bar says beside its thumb: "LIVE" as near the end as a seek that goes back with the room
 * (nearLiveEdge, atLiveEdge's rule), else how far behind it ("-1:05").
 */
export function behindText(behindSec: number): string {
  return nearLiveEdge(behindSec) ? 'LIVE' : `-${formatDuration(behindSec)}`;
}

/** Pure: the same for a screen reader (the slider's aria-valuetext). */
export function spokenBehind(behindSec: number): string {
  if (nearLiveEdge(behindSec)) return 'at live';
  const s = Math.round(behindSec);
  const m = Math.floor(s / 60);
  const parts = [
    m > 0 ? `${m} ${m === 1 ? 'minute' : 'minutes'}` : '',
    s % 60 > 0 ? `${s % 60} ${s % 60 === 1 ? 'second' : 'seconds'}` : '',
  ];
  return `${parts.filter(Boolean).join(' ')} behind live`;
}
