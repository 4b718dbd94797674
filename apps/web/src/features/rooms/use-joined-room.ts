import { useCallback, useEffect, useState } from 'react';
import type { GuestJoinBody, RoomView } from '@reelroom/contracts';
import { api, ApiError, errorMessage } from '../../api/client';
import { useAuth } from '../auth/auth-context';
import { joinErrorMessage } from './join-room-form';

export type JoinedRoomState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  /** Not a member and joining without a PIN was refused: ask for the PIN. */
  | { status: 'needs-pin'; error: string | null }
  | { status: 'ok'; room: RoomView };

export interface JoinedRoom {
  state: JoinedRoomState;
  retry: () => void;
  /** A signed-in person who is not a member yet, with the PIN they typed. */
  joinWithPin: (pin?: string) => Promise<void>;
  /** Someone without an account: joins as a guest, which signs them in. */
  joinAsGuest: (body: GuestJoinBody) => Promise<void>;
}

/**
 * Loads the room and joins it when the caller is not a member yet (opening a shared link). A room the
 * server will not show (unknown, PIN-protected, banned) answers with one generic refusal, so a refusal
 * of the PIN-less attempt turns into a PIN prompt rather than a "not found". Waits for a signed-in user.
 */
/** `invitePin`: the PIN an invite link carried (`#pin=`), tried with the first join. */
export function useJoinedRoom(roomId: string, invitePin?: string): JoinedRoom {
  const { state: auth, adopt } = useAuth();
  const enabled = auth.status === 'signed-in';
  const [state, setState] = useState<JoinedRoomState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // Another room, or a sign-in: loading again. Adjusted while rendering (React's pattern for state that
  // follows a prop) rather than in the effect below, so the previous state is never shown for the new one.
  const [loadedFor, setLoadedFor] = useState({ roomId, enabled });
  if (loadedFor.roomId !== roomId || loadedFor.enabled !== enabled) {
    setLoadedFor({ roomId, enabled });
    if (enabled) setState({ status: 'loading' });
  }

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    // Not awaited (an effect cannot be async): the body catches every error into the state.
    void (async () => {
      try {
        let room: RoomView | null = null;
        try {
          room = await api.rooms.get(roomId);
        } catch (err) {
          if (!(err instanceof ApiError) || err.statusCode >= 500 || err.statusCode === 0) throw err;
        }
        if (room?.closedAt) {
          if (!cancelled) setState({ status: 'ok', room });
          return;
        }
        if (!room || room.myRole === null) {
          try {
            room = await api.rooms.join(roomId, invitePin);
          } catch (err) {
            if (err instanceof ApiError && err.statusCode >= 400 && err.statusCode < 500) {
              if (!cancelled) setState({ status: 'needs-pin', error: err.statusCode === 429 ? joinErrorMessage(err) : null });
              return;
            }
            throw err;
          }
        }
        if (!cancelled) setState({ status: 'ok', room });
      } catch (err) {
        if (!cancelled) setState({ status: 'error', message: errorMessage(err) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [roomId, enabled, attempt, invitePin]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  const joinWithPin = useCallback(
    async (pin?: string) => {
      const room = await api.rooms.join(roomId, pin);
      setState({ status: 'ok', room });
    },
    [roomId],
  );
  const joinAsGuest = useCallback(
    async (body: GuestJoinBody) => {
      const reply = await api.rooms.joinAsGuest(roomId, body);
      adopt(reply.user);
    },
    [roomId, adopt],
  );
  return { state, retry, joinWithPin, joinAsGuest };
}
