import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MediaView, ServerToClientEvents } from '@reelroom/contracts';

/**
 * The one module that wraps socket.io-client. Components never see the socket: they subscribe to a
 * room and get typed callbacks; joining (and re-joining after every reconnect) happens here.
 */
export type ReelroomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface RoomSubscriptionHandlers {
  onMediaUpdated?: (media: MediaView) => void;
  onMediaProgress?: (p: { mediaId: string; progress: number; etaSec: number | null }) => void;
  onMediaDeleted?: (mediaId: string) => void;
  onConnectionChange?: (state: ConnectionState, error?: string) => void;
}

let socket: ReelroomSocket | null = null;
let users = 0;

function acquire(): ReelroomSocket {
  if (!socket) {
    socket = io({
      path: '/socket.io',
      withCredentials: true,
      // Starting with websocket avoids long-polling's extra requests; socket.io still falls back.
      transports: ['websocket', 'polling'],
    });
  }
  users += 1;
  if (socket.disconnected) socket.connect();
  return socket;
}

function release(): void {
  users -= 1;
  if (users <= 0 && socket) {
    socket.disconnect();
    socket.removeAllListeners();
    socket = null;
    users = 0;
  }
}

/** Joins a room's live channel; returns the function that leaves it. */
export function subscribeToRoom(roomId: string, handlers: RoomSubscriptionHandlers): () => void {
  const s = acquire();
  let active = true;

  const join = () => {
    handlers.onConnectionChange?.('connecting');
    s.timeout(10_000).emit('room:join', { roomId }, (err, reply) => {
      if (!active) return;
      if (err) handlers.onConnectionChange?.('disconnected', 'The live connection timed out. Updates may be late.');
      else if (reply.ok) handlers.onConnectionChange?.('connected');
      else handlers.onConnectionChange?.('disconnected', reply.error);
    });
  };
  // 'connect' fires on the first connection and again after every reconnect: the server forgets room
  // membership with the old connection, so join each time.
  const onConnect = () => join();
  const onDisconnect = () => handlers.onConnectionChange?.('disconnected');
  const onConnectError = (err: Error) => handlers.onConnectionChange?.('disconnected', err.message);
  const onUpdated = (m: MediaView) => {
    if (m.roomId === roomId) handlers.onMediaUpdated?.(m);
  };
  const onProgress = (p: { mediaId: string; progress: number; etaSec: number | null }) => handlers.onMediaProgress?.(p);
  const onDeleted = (p: { mediaId: string }) => handlers.onMediaDeleted?.(p.mediaId);

  s.on('connect', onConnect);
  s.on('disconnect', onDisconnect);
  s.on('connect_error', onConnectError);
  s.on('media:updated', onUpdated);
  s.on('media:progress', onProgress);
  s.on('media:deleted', onDeleted);
  if (s.connected) join();
  else handlers.onConnectionChange?.('connecting');

  return () => {
    active = false;
    s.off('connect', onConnect);
    s.off('disconnect', onDisconnect);
    s.off('connect_error', onConnectError);
    s.off('media:updated', onUpdated);
    s.off('media:progress', onProgress);
    s.off('media:deleted', onDeleted);
    if (s.connected) s.emit('room:leave', { roomId });
    release();
  };
}

/**
 * Drops the connection so the next subscription opens a fresh one: the server authenticates the
 * socket from the session cookie at handshake time, so a sign-in or sign-out needs a new handshake.
 */
export function resetSocket(): void {
  if (socket) {
    socket.disconnect();
    socket.connect();
  }
}
