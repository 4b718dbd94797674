import { useCallback, useEffect, useState } from 'react';
import type { SubtitlesView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { subscribeToRoom } from '../../socket/room-socket';

export interface MediaSubtitles {
  /** null until loaded (or without a media). */
  view: SubtitlesView | null;
  error: string | null;
  /** Takes an answer we got ourselves (upload, delete, suggest) without waiting for the event. */
  set: (view: SubtitlesView) => void;
  reload: () => void;
}

/**
 * A media's subtitle tracks and the room's suggestion, kept live: one GET, then `media:subtitles` events
 * for that media; refetched after every (re)join, since events sent while disconnected are gone.
 */
export function useMediaSubtitles(roomId: string, mediaId: string | null): MediaSubtitles {
  const [view, setView] = useState<SubtitlesView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // Another media: nothing known about it yet (adjusted while rendering, React's pattern for state that follows a prop).
  const [shownMedia, setShownMedia] = useState(mediaId);
  if (shownMedia !== mediaId) {
    setShownMedia(mediaId);
    setView(null);
    setError(null);
  }

  useEffect(() => {
    if (!mediaId) return;
    let cancelled = false;
    api.subtitles
      .list(mediaId)
      .then((v) => !cancelled && (setView(v), setError(null)))
      .catch((err: unknown) => !cancelled && setError(errorMessage(err)));
    return () => {
      cancelled = true;
    };
  }, [mediaId, generation]);

  useEffect(() => {
    if (!mediaId) return;
    return subscribeToRoom(roomId, {
      onMediaSubtitles: (v) => v.mediaId === mediaId && setView(v),
      onConnectionChange: (state) => state === 'connected' && reload(),
    });
  }, [roomId, mediaId, reload]);

  return { view, error, set: setView, reload };
}

/**
 * The player's source with the set of tracks in it: hls.js reads the master once, so when a track is
 * added or removed the URL changes and the player loads the new master (the sync engine puts it back at
 * the room's position). The query is ignored by the server.
 */
export function sourceWithSubtitles(src: string, view: SubtitlesView | null): string {
  if (!view || view.tracks.length === 0) return src;
  return `${src}${src.includes('?') ? '&' : '?'}subs=${view.tracks.map((t) => t.id.slice(0, 8)).join('.')}`;
}
