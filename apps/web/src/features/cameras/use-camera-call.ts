import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { request, subscribeToRoom } from '../../socket/room-socket';
import { CameraCall, type CallSignalling } from './camera-call';
import type { CameraState } from './camera-store';

const signalling: CallSignalling = {
  subscribe: subscribeToRoom,
  join: (media) => request('camera:join', media),
  update: (media) => request('camera:update', media),
  leave: () => request('camera:leave', {}),
  // Signals are acknowledged by the server; a lost one shows as a connection that never comes up.
  signal: (to, s) => void request('camera:signal', { to, ...s }),
};

/**
 * The room's call for this page: one CameraCall per room (its constructor touches nothing), started
 * while the room is mounted (its socket subscription) and stopped after (leaves the call, stops devices).
 */
export function useCameraCall(roomId: string): { state: CameraState; call: CameraCall } {
  const call = useMemo(() => new CameraCall(roomId, signalling), [roomId]);
  useEffect(() => {
    call.start();
    return () => call.stop();
  }, [call]);
  const state = useSyncExternalStore(call.store.subscribe, call.store.get);
  return { state, call };
}
