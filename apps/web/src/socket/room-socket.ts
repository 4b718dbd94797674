import { io, type Socket } from 'socket.io-client';
import type { ChatMessage, ClientToServerEvents, MediaView, Member, PlaybackStateView, RoomSnapshot, RoomView, ServerToClientEvents } from '@reelroom/contracts';

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
  /** The join ack: everything needed after a (re)join. Arrives after every (re)connect. */
  onSnapshot?: (snapshot: RoomSnapshot) => void;
  onPresence?: (members: Member[]) => void;
  onChatMessage?: (m: ChatMessage) => void;
  onChatUpdated?: (m: ChatMessage) => void;
  onChatTyping?: (p: { userId: string; name: string; typing: boolean }) => void;
  onRoomUpdated?: (room: RoomView) => void;
  onRoomClosed?: (p: { message: string }) => void;
  onRoomKicked?: (p: { message: string }) => void;
  onYou?: (p: { role: RoomView['myRole']; mutedUntil: string | null }) => void;
  /** Room playback changed (player/sync applies it and drops older seq). */
  onSyncState?: (state: PlaybackStateView) => void;
}

type JoinReply = { ok: true; data: RoomSnapshot } | { ok: false; error: string } | { timedOut: true };

/**
 * Several parts of a room page subscribe (media list, chat, presence, player sync) but the server must
 * see one join per connection: concurrent joins of the same room share one `room:join` round trip, and
 * `room:leave` goes out only when the last subscriber of that room leaves.
 */
const roomSubscribers = new Map<string, number>();
const joinsInFlight = new Map<string, Array<(r: JoinReply) => void>>();

function sharedJoin(s: ReelroomSocket, roomId: string, done: (r: JoinReply) => void): void {
  const waiting = joinsInFlight.get(roomId);
  if (waiting) {
    waiting.push(done);
    return;
  }
  const callbacks = [done];
  joinsInFlight.set(roomId, callbacks);
  s.timeout(10_000).emit('room:join', { roomId }, (err, reply) => {
    joinsInFlight.delete(roomId);
    const result: JoinReply = err ? { timedOut: true } : reply;
    for (const cb of callbacks) cb(result);
  });
}

let socket: ReelroomSocket | null = null;

/** The shared socket, for player/sync's own events (time:ping, sync:command, player:status). */
export function roomSocket(): ReelroomSocket | null {
  return socket;
}
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
    sharedJoin(s, roomId, (reply) => {
      if (!active) return;
      if ('timedOut' in reply) handlers.onConnectionChange?.('disconnected', 'The live connection timed out. Updates may be late.');
      else if (reply.ok) {
        handlers.onSnapshot?.(reply.data);
        handlers.onConnectionChange?.('connected');
      } else handlers.onConnectionChange?.('disconnected', reply.error);
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
  // One socket carries one room at a time in practice, so room-scoped events need no roomId filter
  // except where the payload carries one.
  const roomEvents: { [K in keyof ServerToClientEvents]?: ServerToClientEvents[K] } = {
    'presence:update': (members) => handlers.onPresence?.(members),
    'chat:message': (m) => {
      if (m.roomId === roomId) handlers.onChatMessage?.(m);
    },
    'chat:updated': (m) => {
      if (m.roomId === roomId) handlers.onChatUpdated?.(m);
    },
    'chat:typing': (p) => handlers.onChatTyping?.(p),
    'room:updated': (room) => {
      if (room.id === roomId) handlers.onRoomUpdated?.(room);
    },
    'room:closed': (p) => handlers.onRoomClosed?.(p),
    'room:kicked': (p) => handlers.onRoomKicked?.(p),
    'room:you': (p) => handlers.onYou?.(p),
    'sync:state': (st) => handlers.onSyncState?.(st),
  };
  roomSubscribers.set(roomId, (roomSubscribers.get(roomId) ?? 0) + 1);

  s.on('connect', onConnect);
  s.on('disconnect', onDisconnect);
  s.on('connect_error', onConnectError);
  s.on('media:updated', onUpdated);
  s.on('media:progress', onProgress);
  s.on('media:deleted', onDeleted);
  for (const [event, fn] of Object.entries(roomEvents)) s.on(event as keyof ServerToClientEvents, fn as never);
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
    for (const [event, fn] of Object.entries(roomEvents)) s.off(event as keyof ServerToClientEvents, fn as never);
    const left = (roomSubscribers.get(roomId) ?? 1) - 1;
    if (left > 0) roomSubscribers.set(roomId, left);
    else roomSubscribers.delete(roomId);
    if (left <= 0 && s.connected) s.emit('room:leave', { roomId });
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

export type SendResult<T> = { ok: true; data: T } | { ok: false; error: string; retryAfterMs?: number };

const NOT_CONNECTED = 'Not connected to the room right now. Try again in a moment.';

/** Emits with an ack and a timeout on the shared socket; never throws, always answers. */
function request<T>(event: keyof ClientToServerEvents, payload: unknown): Promise<SendResult<T>> {
  const s = socket;
  if (!s || !s.connected) return Promise.resolve({ ok: false, error: NOT_CONNECTED });
  return new Promise((resolve) => {
    // The event map types each ack differently; this helper answers them all the same way.
    const timed = s.timeout(10_000) as unknown as { emit(ev: string, p: unknown, ack: (err: Error | null, reply: SendResult<T>) => void): void };
    timed.emit(event, payload, (err, reply) => {
      resolve(err ? { ok: false, error: 'The server did not answer in time. Try again.' } : reply);
    });
  });
}

/** Room actions over the socket: chat and moderation. Each resolves with the server's ack. */
export const roomActions = {
  sendChat: (body: string, replyToId?: string) => request<ChatMessage>('chat:send', replyToId ? { body, replyToId } : { body }),
  react: (messageId: string, emoji: string, on: boolean) => request<ChatMessage>('chat:react', { messageId, emoji, on }),
  deleteMessage: (messageId: string) => request<ChatMessage>('chat:delete', { messageId }),
  setRole: (userId: string, role: 'moderator' | 'viewer') => request<Member[]>('mod:role', { userId, role }),
  kick: (userId: string, ban = false) => request<Member[]>('mod:kick', { userId, ban }),
  mute: (userId: string, minutes: number) => request<Member[]>('mod:mute', { userId, minutes }),
  /** Fire and forget: typing is advisory. */
  typing: (typing: boolean) => {
    if (socket?.connected) socket.emit('chat:typing', { typing });
  },
};
