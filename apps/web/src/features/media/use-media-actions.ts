import { useMemo, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { MediaActions } from './media-list';
import type { RoomMedia } from './use-room-media';

/**
 * Retry, cancel and delete on the room's media, for the uploader, the host and moderators. The list
 * is updated from each reply at once (the socket tells everyone else); a failure is kept to show.
 */
export function useMediaActions(media: Pick<RoomMedia, 'upsert' | 'remove'>, me: { userId: string; canModerate: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const { upsert, remove } = media;
  const { userId, canModerate } = me;
  const actions = useMemo<MediaActions>(() => {
    const run = async (fn: () => Promise<unknown>) => {
      setError(null);
      try {
        await fn();
      } catch (err) {
        setError(errorMessage(err));
      }
    };
    return {
      canManage: (m) => m.uploaderId === userId || canModerate,
      retry: (m) => void run(async () => upsert(await api.media.retry(m.id))),
      cancel: (m) => void run(async () => upsert(await api.media.cancel(m.id))),
      remove: (m) =>
        void run(async () => {
          await api.media.remove(m.id);
          remove(m.id);
        }),
    };
  }, [userId, canModerate, upsert, remove]);
  return { actions, error };
}
