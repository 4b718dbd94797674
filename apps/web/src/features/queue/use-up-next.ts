import { useCallback, useEffect, useState } from 'react';
import type { QueueView } from '@reelroom/contracts';
import { request, subscribeToRoom, type SendResult } from '../../socket/room-socket';

export interface UpNext {
  queue: QueueView;
  /** The last refusal or failure, as the server worded it (null after a success). */
  error: string | null;
  busy: boolean;
  add: (mediaId: string) => void;
  move: (itemId: string, index: number) => void;
  remove: (itemId: string) => void;
  /** `playingId`: what I see playing, so that two quick clicks skip once. */
  skip: (playingId: string | null) => void;
  vote: (playingId: string) => void;
}

const EMPTY: QueueView = { items: [], vote: null };

/**
 * The room's "Up next", kept live: fetched on every (re)join (events sent while disconnected are gone),
 * then replaced by each `queue:state`. Every action answers with the queue as it is now.
 */
export function useUpNext(roomId: string): UpNext {
  const [queue, setQueue] = useState<QueueView>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = () =>
      void request('queue:get', {}).then((r) => {
        if (alive && r.ok) setQueue(r.data);
      });
    const unsubscribe = subscribeToRoom(roomId, { onSnapshot: load, onQueueState: (q) => setQueue(q) });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [roomId]);

  const run = useCallback((send: () => Promise<SendResult<QueueView>>) => {
    setBusy(true);
    void send().then((r) => {
      setBusy(false);
      if (r.ok) {
        setQueue(r.data);
        setError(null);
      } else setError(r.error);
    });
  }, []);

  return {
    queue,
    error,
    busy,
    add: (mediaId) => run(() => request('queue:add', { mediaId })),
    move: (itemId, index) => run(() => request('queue:move', { itemId, index })),
    remove: (itemId) => run(() => request('queue:remove', { itemId })),
    skip: (playingId) => run(() => request('queue:skip', { mediaId: playingId })),
    vote: (playingId) => run(() => request('queue:vote', { mediaId: playingId })),
  };
}
