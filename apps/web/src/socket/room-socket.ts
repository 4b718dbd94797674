import { io } from 'socket.io-client';
import type {
  CameraLeftReason,
  CameraPeer,
  CameraSignalIn,
  ChatMessage,
  LiveStateView,
  MediaView,
  Member,
  PlaybackStateView,
  PresenceDelta,
  QueueView,
  RoomSnapshot,
  RoomView,
  SubtitlesView,
} from '@reelroom/contracts';
import { SOCKET_RECONNECTION } from '@reelroom/contracts';
import { socketIoPort } from './socket-io-port';
import type { AckEvent, AckReply, Listener, ListenEvent, NoticeEvent, Payload, SocketPort } from './socket-port';

/**
 * The one module that wraps socket.io-client. Components never see the socket: they subscribe to a
 * room and get typed callbacks, and send through `request` (with an ack and a timeout) or `notify`;
 * joining (and re-joining after every reconnect) happens here.
 */

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface RoomSubscriptionHandlers {
  onMediaUpdated?: (media: MediaView) => void;
  onMediaProgress?: (p: { mediaId: string; progress: number; etaSec: number | null; bytes?: number; totalBytes?: number | null }) => void;
  onMediaDeleted?: (mediaId: string) => void;
  /** A media's subtitle tracks or the room's suggested track changed (issue 12). */
  onMediaSubtitles?: (view: SubtitlesView) => void;
  onConnectionChange?: (state: ConnectionState, error?: string) => void;
  /** The join ack: everything needed after a (re)join. Arrives after every (re)connect. */
  onSnapshot?: (snapshot: RoomSnapshot) => void;
  /** Who is here changed: only the changed members, versioned (features/presence applies them). */
  onPresenceDelta?: (delta: PresenceDelta) => void;
  onChatMessage?: (m: ChatMessage) => void;
  onChatUpdated?: (m: ChatMessage) => void;
  onChatTyping?: (p: { userId: string; name: string; typing: boolean }) => void;
  onRoomUpdated?: (room: RoomView) => void;
  onRoomClosed?: (p: { message: string }) => void;
  onRoomKicked?: (p: { message: string }) => void;
  onYou?: (p: { role: RoomView['myRole']; mutedUntil: string | null }) => void;
  /** Room playback changed (player/sync applies it and drops older seq). */
  onSyncState?: (state: PlaybackStateView) => void;
  /** The room's live stream changed (starting, live, ended, replay ready). */
  onLive?: (state: LiveStateView) => void;
  /** The room's call (features/cameras): someone joined, changed their media, left; a signal for us. */
  onCameraJoined?: (peer: CameraPeer) => void;
  onCameraUpdated?: (peer: CameraPeer) => void;
  onCameraLeft?: (p: { peerId: string; reason: CameraLeftReason }) => void;
  onCameraSignal?: (signal: CameraSignalIn) => void;
  /** "Up next" changed (features/queue). */
  onQueueState?: (queue: QueueView) => void;
}

export type SendResult<T> = { ok: true; data: T } | { ok: false; error: string; retryAfterMs?: number };

/** Why a request got no answer from the server. */
export interface RequestFailure {
  ok: false;
  error: string;
  reason: 'offline' | 'timeout';
}

export const NOT_CONNECTED = 'Not connected to the room right now. Try again in a moment.';
export const NO_ANSWER = 'The server did not answer in time. Try again.';
const REQUEST_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 10_000;

type JoinReply = AckReply<'room:join'> | { timedOut: true };

/** Registers one listener on the socket and returns the function that removes it. */
function listen<E extends ListenEvent>(s: SocketPort, event: E, fn: Listener<E>): () => void {
  s.on(event, fn);
  return () => s.off(event, fn);
}

/**
 * One connection shared by everything on the page, opened with the first subscription and closed with
 * the last. Several parts of a room page subscribe (media list, chat, presence, player sync) but the
 * server must see one join per connection: concurrent joins of the same room share one `room:join`
 * round trip, and `room:leave` goes out only when the last subscriber of that room leaves.
 */
export class RoomSocket {
  private socket: SocketPort | null = null;
  private users = 0;
  private readonly roomSubscribers = new Map<string, number>();
  private readonly joinsInFlight = new Map<string, Array<(r: JoinReply) => void>>();

  constructor(private readonly open: () => SocketPort) {}

  /** Joins a room's live channel; returns the function that leaves it. */
  subscribe(roomId: string, handlers: RoomSubscriptionHandlers): () => void {
    const s = this.acquire();
    let active = true;

    const join = () => {
      handlers.onConnectionChange?.('connecting');
      this.sharedJoin(s, roomId, (reply) => {
        if (!active) return;
        if ('timedOut' in reply) handlers.onConnectionChange?.('disconnected', 'The live connection timed out. Updates may be late.');
        else if (reply.ok) {
          handlers.onSnapshot?.(reply.data);
          handlers.onConnectionChange?.('connected');
        } else handlers.onConnectionChange?.('disconnected', reply.error);
      });
    };
    // One socket carries one room at a time in practice, so room-scoped events need no roomId filter
    // except where the payload carries one.
    const unlisten = [
      // 'connect' fires on the first connection and again after every reconnect: the server forgets room
      // membership with the old connection, so join each time.
      listen(s, 'connect', join),
      listen(s, 'disconnect', () => handlers.onConnectionChange?.('disconnected')),
      listen(s, 'connect_error', (err) => handlers.onConnectionChange?.('disconnected', err.message)),
      listen(s, 'media:updated', (m) => {
        if (m.roomId === roomId) handlers.onMediaUpdated?.(m);
      }),
      listen(s, 'media:progress', (p) => handlers.onMediaProgress?.(p)),
      listen(s, 'media:deleted', (p) => handlers.onMediaDeleted?.(p.mediaId)),
      listen(s, 'media:subtitles', (p) => handlers.onMediaSubtitles?.(p)),
      listen(s, 'presence:delta', (d) => handlers.onPresenceDelta?.(d)),
      listen(s, 'chat:message', (m) => {
        if (m.roomId === roomId) handlers.onChatMessage?.(m);
      }),
      listen(s, 'chat:updated', (m) => {
        if (m.roomId === roomId) handlers.onChatUpdated?.(m);
      }),
      listen(s, 'chat:typing', (p) => handlers.onChatTyping?.(p)),
      listen(s, 'room:updated', (room) => {
        if (room.id === roomId) handlers.onRoomUpdated?.(room);
      }),
      listen(s, 'room:closed', (p) => handlers.onRoomClosed?.(p)),
      listen(s, 'room:kicked', (p) => handlers.onRoomKicked?.(p)),
      listen(s, 'room:you', (p) => handlers.onYou?.(p)),
      listen(s, 'sync:state', (st) => handlers.onSyncState?.(st)),
      listen(s, 'live:state', (st) => handlers.onLive?.(st)),
      listen(s, 'camera:joined', (p) => handlers.onCameraJoined?.(p)),
      listen(s, 'camera:updated', (p) => handlers.onCameraUpdated?.(p)),
      listen(s, 'camera:left', (p) => handlers.onCameraLeft?.(p)),
      listen(s, 'camera:signal', (p) => handlers.onCameraSignal?.(p)),
      listen(s, 'queue:state', (q) => handlers.onQueueState?.(q)),
    ];
    this.roomSubscribers.set(roomId, (this.roomSubscribers.get(roomId) ?? 0) + 1);
    if (s.connected) join();
    else handlers.onConnectionChange?.('connecting');

    return () => {
      active = false;
      for (const off of unlisten) off();
      const left = (this.roomSubscribers.get(roomId) ?? 1) - 1;
      if (left > 0) this.roomSubscribers.set(roomId, left);
      else this.roomSubscribers.delete(roomId);
      if (left <= 0 && s.connected) s.notify('room:leave', { roomId });
      this.release();
    };
  }

  /**
   * Emits with an ack and a timeout; never throws, always answers: the server's reply, or a failure
   * saying we are offline or the server did not answer in time.
   */
  request<E extends AckEvent>(event: E, payload: Payload<E>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<AckReply<E> | RequestFailure> {
    const s = this.socket;
    if (!s?.connected) return Promise.resolve({ ok: false, error: NOT_CONNECTED, reason: 'offline' });
    return new Promise((resolve) => {
      s.request(event, payload, timeoutMs, (err, reply) =>
        resolve(err || reply === undefined ? { ok: false, error: NO_ANSWER, reason: 'timeout' } : reply),
      );
    });
  }

  /** Fire and forget, only while connected: socket.io would otherwise queue it for after a reconnect, stale. */
  notify<E extends NoticeEvent>(event: E, payload: Payload<E>): void {
    if (this.socket?.connected) this.socket.notify(event, payload);
  }

  /**
   * Drops the connection so the next subscription opens a fresh one: the server authenticates the
   * socket from the session cookie at handshake time, so a sign-in or sign-out needs a new handshake.
   */
  reset(): void {
    if (this.socket) {
      this.socket.disconnect();
      this.socket.connect();
    }
  }

  private acquire(): SocketPort {
    this.socket ??= this.open();
    this.users += 1;
    if (!this.socket.connected) this.socket.connect();
    return this.socket;
  }

  private release(): void {
    this.users -= 1;
    if (this.users <= 0 && this.socket) {
      this.socket.disconnect();
      this.socket.removeAllListeners();
      this.socket = null;
      this.users = 0;
    }
  }

  private sharedJoin(s: SocketPort, roomId: string, done: (r: JoinReply) => void): void {
    const waiting = this.joinsInFlight.get(roomId);
    if (waiting) {
      waiting.push(done);
      return;
    }
    const callbacks = [done];
    this.joinsInFlight.set(roomId, callbacks);
    s.request('room:join', { roomId }, JOIN_TIMEOUT_MS, (err, reply) => {
      this.joinsInFlight.delete(roomId);
      const result: JoinReply = err || reply === undefined ? { timedOut: true } : reply;
      for (const cb of callbacks) cb(result);
    });
  }
}

const shared = new RoomSocket(() =>
  socketIoPort(
    io({
      path: '/socket.io',
      withCredentials: true,
      // Starting with websocket avoids long-polling's extra requests; socket.io still falls back.
      transports: ['websocket', 'polling'],
      // Spread out: when an API process dies, its clients must not all come back at the same instant.
      ...SOCKET_RECONNECTION,
    }),
  ),
);

/** Joins a room's live channel on the page's shared connection; returns the function that leaves it. */
export const subscribeToRoom = (roomId: string, handlers: RoomSubscriptionHandlers): (() => void) => shared.subscribe(roomId, handlers);
export const resetSocket = (): void => shared.reset();
/** Emits with an ack and a timeout on the shared connection (see RoomSocket.request). */
export const request = <E extends AckEvent>(event: E, payload: Payload<E>, timeoutMs?: number): Promise<AckReply<E> | RequestFailure> =>
  shared.request(event, payload, timeoutMs);
export const notify = <E extends NoticeEvent>(event: E, payload: Payload<E>): void => shared.notify(event, payload);

/** Room actions over the socket: chat and moderation. Each resolves with the server's ack. */
export const roomActions = {
  sendChat: (body: string, replyToId?: string): Promise<SendResult<ChatMessage>> =>
    request('chat:send', replyToId ? { body, replyToId } : { body }),
  react: (messageId: string, emoji: string, on: boolean): Promise<SendResult<ChatMessage>> =>
    request('chat:react', { messageId, emoji, on }),
  deleteMessage: (messageId: string): Promise<SendResult<ChatMessage>> => request('chat:delete', { messageId }),
  /** One's own message, within the edit window. */
  editMessage: (messageId: string, body: string): Promise<SendResult<ChatMessage>> => request('chat:edit', { messageId, body }),
  setRole: (userId: string, role: 'moderator' | 'viewer'): Promise<SendResult<Member[]>> => request('mod:role', { userId, role }),
  kick: (userId: string, ban = false): Promise<SendResult<Member[]>> => request('mod:kick', { userId, ban }),
  mute: (userId: string, minutes: number): Promise<SendResult<Member[]>> => request('mod:mute', { userId, minutes }),
  /** Host only: hands the host role over (I stay as a moderator). */
  transferHost: (userId: string): Promise<SendResult<Member[]>> => request('mod:host', { userId }),
  /** Fire and forget: typing is advisory. */
  typing: (typing: boolean): void => notify('chat:typing', { typing }),
};
