import { useEffect, useState, useSyncExternalStore } from 'react';
import { request, subscribeToRoom } from '../../socket/room-socket';
import { CameraCall, EMPTY_CAMERA_STATE, type CallSignalling } from './camera-call';
import type { CameraState } from './camera-store';

const signalling: CallSignalling = {
  subscribe: subscribeToRoom,
  join: (media) => request('camera:join', media),
  update: (media) => request('camera:update', media),
  leave: () => request('camera:leave', {}),
  // Signals are answered (ack) by the server; a lost one shows as a connection that never comes up.
  signal: (to, s) => void request('camera:signal', { to, ...s }),
};

/** The room's call for this page: one CameraCall for the room's lifetime, its state, and its actions. */
export function useCameraCall(roomId: string): { state: CameraState; call: CameraCall | null } {
  const [call, setCall] = useState<CameraCall | null>(null);
  useEffect(() => {
    const c = new CameraCall(roomId, signalling);
    c.start();
    setCall(c);
    return () => {
      c.stop();
      setCall(null);
    };
  }, [roomId]);
  const state = useSyncExternalStore(call?.store.subscribe ?? noSubscribe, call?.store.get ?? empty);
  return { state, call };
}

const noSubscribe = () => () => undefined;
const empty = () => EMPTY_CAMERA_STATE;
