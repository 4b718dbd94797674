import type { MediaView } from '@reelroom/contracts';
import { useRoomPlayback } from '../../player/sync/room-sync';

export interface NowPlaying {
  /** What the room plays, once it can be played here; null while nothing plays or it is not ready yet. */
  selected: MediaView | null;
  /** What the room plays, ready here or not. */
  roomMediaId: string | null;
  /** "Play this" for everyone: a `media` command (the server drops it if control is locked). */
  play: (media: MediaView) => void;
  /** Why the last command failed (not connected, refused), shown where the player would be. */
  lastError: string | null;
}

/**
 * The room, not this page, decides what plays: picking a video sends a `media` command and every
 * member's player follows the room's playback state.
 */
export function useNowPlaying(roomId: string, items: MediaView[]): NowPlaying {
  const playback = useRoomPlayback(roomId);
  const roomMediaId = playback.state?.mediaId ?? null;
  // `playable` includes a stream still being encoded (issue 4: playable while encoding).
  const selected = items.find((m) => m.id === roomMediaId && m.playable) ?? null;
  // "Play" starts it for everyone (a browser that blocks sound shows "Click to join playback").
  return {
    selected,
    roomMediaId,
    play: (m) => playback.send({ type: 'media', mediaId: m.id, play: true }),
    lastError: playback.lastError,
  };
}
