import { mediaPlaybackPath, type LiveMode, type LiveStateView, type PlaybackStateView } from '@reelroom/contracts';
import { liveHlsConfig, type LiveSeen } from './live-format';

/**
 * The pure rules of watching a live together (issue 8): what the room's stage shows, when the "Watch the
 * live together" switch is offered, where a switch puts the room, and the hls.js settings of a player that
 * follows the room's live position rather than its own.
 */

/**
 * Whether players follow the room's live position in this mode. The position is a player's currentTime,
 * which hls.js counts from the first segment of the first playlist it loaded: the same in every browser
 * only when the playlist lists the live from its start, as standard mode's EVENT playlists do. The
 * low-latency playlist is a short sliding window, so viewers who joined at different times count from
 * different segments; there each viewer keeps hls.js's own place behind the edge (the room still switches
 * to the live and to its recording).
 */
export const followsRoomPosition = (mode: LiveMode): boolean => mode === 'standard';

/**
 * hls.js settings for a live that follows the room (the room's sync engine owns the playhead):
 *  - no catch-up (maxLiveSyncPlaybackRate 1): the engine's drift correction sets the rate, and a rate
 *    hls.js set would read as the person's own speed change;
 *  - no jump to the edge (liveMaxLatencyDurationCount unbounded): the room sits a fixed distance behind
 *    the edge and a person who paused watches from where they paused until "Jump to live". The live's
 *    EVENT playlist keeps every segment, so there is always something to go back to.
 * Everything else (the start distance, back buffer) stays the standard live's. Only standard lives follow the
 * room (followsRoomPosition); the low-latency settings count in seconds, and an unbounded *Count* next to
 * them is a combination hls.js's constructor refuses.
 */
export function roomLiveHlsConfig() {
  return { ...liveHlsConfig('standard'), maxLiveSyncPlaybackRate: 1, liveMaxLatencyDurationCount: Number.POSITIVE_INFINITY };
}

/** What the room's stage shows. */
export type RoomStage =
  /** The room plays its live, on air (or reconnecting: its encoder dropped and may come back): the live player. */
  | { kind: 'live'; src: string; mode: LiveMode; reconnecting?: true }
  /**
   * The room is on a live that is not on air: ended (its recording not ready yet), starting, or
   * reconnecting before this page saw it on air.
   */
  | { kind: 'live-off-air' }
  /** A library video (the room page finds the item). */
  | { kind: 'media'; mediaId: string }
  | { kind: 'empty' };

/**
 * The stage follows the room's playback state, never the live alone: the room decides what everyone watches.
 * A live whose encoder dropped and may come back (`starting` after this page saw that live on air: `seen`,
 * which use-room-live resets at another live's start) stays on the stage, on the URL it had: the same
 * playlists go on when the encoder returns, so the player plays what it has buffered, waits at the edge,
 * and goes on without being rebuilt (a person's own place kept).
 */
export function roomStage(playback: PlaybackStateView | null, live: LiveStateView | null, seen?: LiveSeen): RoomStage {
  if (playback?.liveId) {
    if (live?.liveId !== playback.liveId) return { kind: 'live-off-air' };
    if (live.status === 'live' && live.playbackUrl) return { kind: 'live', src: live.playbackUrl, mode: live.mode };
    // The live's playback URL is its media path (the API's only while on air).
    const reconnecting = live.status === 'starting' && seen?.onAir;
    return reconnecting ? { kind: 'live', src: mediaPlaybackPath(live.liveId), mode: live.mode, reconnecting } : { kind: 'live-off-air' };
  }
  if (playback?.mediaId) return { kind: 'media', mediaId: playback.mediaId };
  return { kind: 'empty' };
}

/** The on-air live a person with control may switch the room to (null when none, or the room is on it). */
export function switchableLive(playback: PlaybackStateView | null, live: LiveStateView | null, canControl: boolean): LiveStateView | null {
  if (!canControl || live?.status !== 'live' || !live.liveId || !live.playbackUrl) return null;
  return playback?.liveId === live.liveId ? null : live;
}

/** The first variant's URL in a master playlist, resolved against the master's absolute URL; null when none. */
export function firstVariantUrl(master: string, masterUrl: string): string | null {
  const lines = master.split(/\r?\n/).map((l) => l.trim());
  const at = lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF'));
  const uri = at >= 0 ? lines.slice(at + 1).find((l) => l && !l.startsWith('#')) : undefined;
  return uri ? new URL(uri, masterUrl).href : null;
}

/**
 * The live edge (s) of a media playlist: the sum of its segments' EXTINF. The live's playlist lists every
 * segment from the start (EVENT), which is also the live time players' currentTime counts (hls.js starts
 * the timeline at the first segment of the playlist).
 */
export function liveEdgeSec(mediaPlaylist: string): number {
  let sum = 0;
  for (const m of mediaPlaylist.matchAll(/^#EXTINF:([0-9.]+)/gm)) sum += Number.parseFloat(m[1]);
  return sum;
}

/** Where the room's live position goes on a switch: the mode's latency hint behind the edge (never before 0). */
export const switchPositionSec = (edgeSec: number, latencyHintSec: number): number =>
  Math.max(0, Math.round((edgeSec - latencyHintSec) * 1000) / 1000);
