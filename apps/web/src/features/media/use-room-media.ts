import { useCallback, useEffect, useState } from 'react';
import type { MediaView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { subscribeToRoom, type ConnectionState } from '../../socket/room-socket';
import { applyProgress, mergeMedia, removeMedia, upsertMedia } from './media-store';

export interface RoomMedia {
  items: MediaView[];
  loading: boolean;
  error: string | null;
  live: { state: ConnectionState; error?: string };
  /** Adds or updates an item we learned about outside the socket (the upload reply). */
  upsert: (item: MediaView) => void;
  /** Forgets an item we deleted ourselves (the socket tells everyone else). */
  remove: (mediaId: string) => void;
  reload: () => void;
}

/**
 * The room's media list, kept live: one listing over HTTP, then socket events. Every (re)join
 * refetches the list, because events sent while we were disconnected are gone.
 */
export function useRoomMedia(roomId: string, enabled: boolean): RoomMedia {
  const [items, setItems] = useState<MediaView[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<{ state: ConnectionState; error?: string }>({ state: 'connecting' });
  const [generation, setGeneration] = useState(0);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const upsert = useCallback((item: MediaView) => setItems((list) => upsertMedia(list, item)), []);
  const remove = useCallback((mediaId: string) => setItems((list) => removeMedia(list, mediaId)), []);

  // Another room: its list starts empty and loading. Adjusted while rendering (React's pattern for state
  // that follows a prop), so the previous room's items are never shown under the new one.
  const [listedRoom, setListedRoom] = useState(roomId);
  if (listedRoom !== roomId) {
    setListedRoom(roomId);
    setItems([]);
    setLoading(true);
  }

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const askedAt = new Date().toISOString();
    api.media
      .listForRoom(roomId)
      .then((fetched) => {
        if (cancelled) return;
        setItems((list) => mergeMedia(list, fetched, askedAt));
        setError(null);
      })
      .catch((err: unknown) => !cancelled && setError(errorMessage(err)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [roomId, enabled, generation]);

  useEffect(() => {
    if (!enabled) return;
    return subscribeToRoom(roomId, {
      onMediaUpdated: (m) => setItems((list) => upsertMedia(list, m)),
      onMediaProgress: ({ mediaId, progress, etaSec, bytes, totalBytes }) =>
        setItems((list) => applyProgress(list, mediaId, progress, etaSec, { bytes, totalBytes })),
      onMediaDeleted: (mediaId) => setItems((list) => removeMedia(list, mediaId)),
      onConnectionChange: (state, err) => {
        setLive({ state, error: err });
        // Refetch after every join, the first one included: whatever changed between the listing and
        // the join (or while disconnected) was never sent to us.
        if (state === 'connected') reload();
      },
    });
  }, [roomId, enabled, reload]);

  return { items, loading, error, live, upsert, remove, reload };
}
