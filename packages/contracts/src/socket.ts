import { z } from 'zod';
import type { MediaView } from './media.js';
import type { SubtitlesView } from './subtitles.js';
import { roomIdSchema, type RoomView } from './rooms.js';
import type { ChatMessage } from './chat.js';
import type { Member, PlayerStatus, PresenceDelta, PresenceList } from './presence.js';
import type { LiveStateView } from './live.js';
import type { QueueView } from './queue.js';
import type { CameraJoinReply, CameraLeftReason, CameraMedia, CameraPeer, CameraRoster, CameraSignal, CameraSignalIn } from './cameras.js';

/** Room playback as the server holds it; @reelroom/sync derives positions from it and applies commands. */
export interface PlaybackStateView {
  mediaId: string | null;
  /**
   * Set while the room plays its live (issue 8; mediaId is null then): `position` is the live's media
   * time, advancing with the clock like a playing video, so everyone plays the same moment, the same
   * distance behind the live edge. A live is never paused for the room: pausing is per person (the
   * player's own pause, then "Jump to live").
   */
  liveId?: string;
  paused: boolean;
  position: number;
  rate: number;
  anchorServerTime: number;
  seq: number;
  by: { userId: string; name: string } | null;
}

/** Everything a client needs after (re)joining: the room, who is here, the playback state, recent chat. */
export interface RoomSnapshot {
  room: RoomView;
  me: { userId: string; name: string; role: RoomView['myRole'] };
  members: Member[];
  /** The presence version `members` was read at: `presence:delta` changes after it apply on top. */
  presenceVersion: number;
  playback: PlaybackStateView;
  chat: ChatMessage[];
  /** The room's live stream (idle when the host never went live). */
  live: LiveStateView;
  /** Who is on camera (the call), and the room's camera limit. */
  cameras: CameraRoster;
  serverTime: number;
}

export const joinRoomEventSchema = z.object({ roomId: roomIdSchema });
export type JoinRoomEvent = z.infer<typeof joinRoomEventSchema>;

/**
 * Clock sync ping: the client's send time and, once it has one, its best measured round trip (ms),
 * which the server uses for the scheduling lead of play and seek.
 */
export const timePingSchema = z.object({
  t0: z.number().finite(),
  rttMs: z.number().finite().min(0).max(10_000).optional(),
});
export type TimePing = z.infer<typeof timePingSchema>;

/**
 * socket.io-client reconnection for the web app and the load bench (issue 10): when an API process dies,
 * all its clients see the drop at the same instant; a wide random spread of the first retry (0.5 x to
 * 1.5 x the delay would bunch them in one second) keeps the survivors from taking every rejoin at once,
 * and the cap keeps a client from waiting long once the cluster is back.
 */
export const SOCKET_RECONNECTION = { reconnectionDelay: 1_000, reconnectionDelayMax: 5_000, randomizationFactor: 1 } as const;

export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: string }) => void;

/** Events the server sends. Typed once here, used by the gateway and the web client. */
export interface ServerToClientEvents {
  /** Playback changed (or a periodic reminder); apply if seq is newer than yours. */
  'sync:state': (state: PlaybackStateView) => void;
  /**
   * Who is here changed (join, leave, role, player status, mute): only the members that changed, each
   * with the room's presence version after it (presenceDeltaSchema); the whole list is in the join
   * snapshot and the `presence:get` answer.
   */
  'presence:delta': (delta: PresenceDelta) => void;
  'chat:message': (m: ChatMessage) => void;
  /** A message's reactions changed, or it was edited or deleted. */
  'chat:updated': (m: ChatMessage) => void;
  'chat:typing': (p: { userId: string; name: string; typing: boolean }) => void;
  /** Name, PIN presence or options changed. */
  'room:updated': (room: RoomView) => void;
  /** The host closed the room; the socket is disconnected right after. */
  'room:closed': (p: { message: string }) => void;
  /** You were kicked (or banned); the socket is disconnected right after. */
  'room:kicked': (p: { message: string }) => void;
  /** Your role or mute changed (also reflected in presence). */
  'room:you': (p: { role: RoomView['myRole']; mutedUntil: string | null }) => void;
  /** A media item was created or changed status. */
  'media:updated': (media: MediaView) => void;
  /**
   * Transcoding or import progress (0-100), frequent, so it carries only what changed. Imports add the
   * bytes fetched so far and the expected total (null when the server did not say).
   */
  'media:progress': (p: { mediaId: string; progress: number; etaSec: number | null; bytes?: number; totalBytes?: number | null }) => void;
  /** A media item was deleted. */
  'media:deleted': (p: { mediaId: string }) => void;
  /** A media's subtitle tracks or the room's suggested track changed: the same object as GET /api/media/:id/subtitles. */
  'media:subtitles': (p: SubtitlesView) => void;
  /** The room's live stream changed (starting, live, ended, replay ready); the same object as GET /api/rooms/:id/live. */
  'live:state': (state: LiveStateView) => void;
  /** Someone joined the room's call (camera or microphone). */
  'camera:joined': (peer: CameraPeer) => void;
  /** A participant muted, unmuted, or turned their camera off or on. */
  'camera:updated': (peer: CameraPeer) => void;
  /** A participant left the call (or was removed: kicked, banned, disconnected): drop their connection now. */
  'camera:left': (p: { peerId: string; reason: CameraLeftReason }) => void;
  /** An offer, answer or candidates from another participant of your call. */
  'camera:signal': (signal: CameraSignalIn) => void;
  /** "Up next" changed (added, moved, removed, advanced) or the skip vote did. */
  'queue:state': (queue: QueueView) => void;
}

/** Events the client sends; every payload is validated against the schema above. */
export interface ClientToServerEvents {
  'room:join': (payload: JoinRoomEvent, ack: Ack<RoomSnapshot>) => void;
  /** Clock sync: the server answers with its time; see @reelroom/sync ClockEstimator. */
  'time:ping': (payload: TimePing, ack: (reply: { t0: number; serverTime: number }) => void) => void;
  /** A @reelroom/sync PlaybackCommand; refused when control is locked and you are a viewer, or stale. */
  'sync:command': (
    payload: unknown,
    ack: Ack<PlaybackStateView> | ((r: { ok: false; error: string; retryAfterMs?: number }) => void),
  ) => void;
  'player:status': (payload: PlayerStatus) => void;
  'chat:send': (
    payload: { body: string; replyToId?: string },
    ack: Ack<ChatMessage> | ((r: { ok: false; error: string; retryAfterMs?: number }) => void),
  ) => void;
  'chat:typing': (payload: { typing: boolean }) => void;
  'chat:react': (payload: { messageId: string; emoji: string; on: boolean }, ack: Ack<ChatMessage>) => void;
  'chat:delete': (payload: { messageId: string }, ack: Ack<ChatMessage>) => void;
  /** One's own message, within CHAT_EDIT_WINDOW_MS of sending; the room gets `chat:updated` with editedAt. */
  'chat:edit': (
    payload: { messageId: string; body: string },
    ack: Ack<ChatMessage> | ((r: { ok: false; error: string; retryAfterMs?: number }) => void),
  ) => void;
  'mod:role': (payload: { userId: string; role: 'moderator' | 'viewer' }, ack: Ack<Member[]>) => void;
  'mod:kick': (payload: { userId: string; ban?: boolean }, ack: Ack<Member[]>) => void;
  'mod:mute': (payload: { userId: string; minutes: number }, ack: Ack<Member[]>) => void;
  'mod:host': (payload: { userId: string }, ack: Ack<Member[]>) => void;
  'room:leave': (payload: JoinRoomEvent) => void;
  /** The room's whole presence list and its version: a client that saw a gap in the deltas resyncs with it. */
  'presence:get': (payload: Record<string, never>, ack: Ack<PresenceList>) => void;
  /** Join the room's call: reserves one of its CAMERA_LIMIT slots, or answers that the room is full. */
  'camera:join': (payload: CameraMedia, ack: Ack<CameraJoinReply>) => void;
  /** Mute/unmute, camera off/on while in the call. */
  'camera:update': (payload: CameraMedia, ack: Ack<CameraPeer>) => void;
  'camera:leave': (payload: Record<string, never>, ack: Ack<null>) => void;
  /** Relayed to `to` if both of you are in this room's call; refused otherwise. */
  'camera:signal': (payload: CameraSignal, ack: Ack<null>) => void;
  /** The room's "Up next" list (members). */
  'queue:get': (payload: Record<string, never>, ack: Ack<QueueView>) => void;
  /** Host and moderators, or everyone when the room's queue is open. */
  'queue:add': (payload: { mediaId: string }, ack: Ack<QueueView>) => void;
  'queue:move': (payload: { itemId: string; index: number }, ack: Ack<QueueView>) => void;
  /** Also allowed to whoever added the item. */
  'queue:remove': (payload: { itemId: string }, ack: Ack<QueueView>) => void;
  /** Whoever may control playback: start the next item now (`mediaId`: what the caller saw playing). */
  'queue:skip': (payload: { mediaId: string | null }, ack: Ack<QueueView>) => void;
  /** Any member, when the room allows skip votes: a majority of the people present skips. */
  'queue:vote': (payload: { mediaId: string }, ack: Ack<QueueView>) => void;
}
