import { useCallback, useEffect, useState } from 'react';
import type { LiveStateView } from '@reelroom/contracts';
import { api } from '../../api/client';
import { subscribeToRoom } from '../../socket/room-socket';
import { closeBrowserLive } from './browser-live';
import { shouldReplace, type LiveSeen } from './live-format';

export interface RoomLive {
  /** Null until the first answer (GET or join snapshot). */
  live: LiveStateView | null;
  /** What this page saw of the live: an end is worth announcing, a drop is a reconnect. */
  seen: LiveSeen;
  /** Applies a state learned outside the socket (the host's own actions). */
  apply: (next: LiveStateView) => void;
}

/**
 * The room's live stream: the join snapshot, `live:state` events, and one GET in case the socket is slow.
 * Owns the page's browser live too (BrowserLive), which ends when the room page goes.
 */
export function useRoomLive(roomId: string): RoomLive {
  const [live, setLive] = useState<LiveStateView | null>(null);
  const [seen, setSeen] = useState<LiveSeen & { startedAt?: string | null }>({ any: false, onAir: false });
  const apply = useCallback((next: LiveStateView) => {
    setLive((current) => (shouldReplace(current, next) ? next : current));
    if (next.status === 'live') setSeen({ any: true, onAir: true, startedAt: next.startedAt });
    // A start of another live (a new startedAt) is a start, not a reconnect.
    else if (next.status === 'starting')
      setSeen((s) => (s.any && s.startedAt === next.startedAt ? s : { any: true, onAir: false, startedAt: next.startedAt }));
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.live
      .state(roomId)
      .then((s) => !cancelled && apply(s))
      // The socket's snapshot carries the same state; a failed GET changes nothing.
      .catch(() => undefined);
    const unsubscribe = subscribeToRoom(roomId, { onSnapshot: (snap) => apply(snap.live), onLive: apply });
    return () => {
      cancelled = true;
      unsubscribe();
      // Leaving the room stops a live from this browser (and turns the camera off).
      closeBrowserLive(roomId);
    };
  }, [roomId, apply]);

  return { live, seen, apply };
}
