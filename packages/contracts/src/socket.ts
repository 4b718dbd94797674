import { z } from 'zod';
import type { MediaView } from './media.js';
import { roomIdSchema } from './rooms.js';

export const joinRoomEventSchema = z.object({ roomId: roomIdSchema });
export type JoinRoomEvent = z.infer<typeof joinRoomEventSchema>;

export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: string }) => void;

/** Events the server sends. Typed once here, used by the gateway and the web client. */
export interface ServerToClientEvents {
  /** A media item was created or changed status. */
  'media:updated': (media: MediaView) => void;
  /** Transcoding progress (0-100), frequent, so it carries only what changed. */
  'media:progress': (p: { mediaId: string; progress: number; etaSec: number | null }) => void;
  /** A media item was deleted. */
  'media:deleted': (p: { mediaId: string }) => void;
}

/** Events the client sends; every payload is validated against the schema above. */
export interface ClientToServerEvents {
  'room:join': (payload: JoinRoomEvent, ack: Ack<{ roomId: string }>) => void;
  'room:leave': (payload: JoinRoomEvent) => void;
}
