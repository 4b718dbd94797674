import type { RoomRole, RoomView } from '@reelroom/contracts';

/**
 * What RoomsService tells connected clients; implemented by the socket side (RealtimeHub). An abstract
 * class so Nest can inject it and unit specs can pass a plain fake.
 */
export abstract class RoomEvents {
  /** Name, PIN presence or options changed (the view carries myRole null: roles travel in room:you). */
  abstract roomUpdated(room: RoomView): void;
  /** The host closed the room: tell everyone, then disconnect every socket in it (all processes). */
  abstract roomClosed(roomId: string, message: string): void;
  /** A member's role or mute changed: presence for the room, room:you for that member. */
  abstract memberChanged(roomId: string, userId: string, you: { role: RoomRole; mutedUntil: string | null }): void;
  /** Kicked or banned: tell that member's sockets in the room, then disconnect them. */
  abstract memberRemoved(roomId: string, userId: string, message: string): void;
}

/** Failure counters and token buckets shared by every API process (Redis in production). */
export abstract class LimitStore {
  abstract failures(key: string): Promise<{ count: number; ttlSec: number }>;
  abstract addFailure(key: string, windowSec: number): Promise<number>;
  abstract take(key: string, burst: number, perSec: number): Promise<{ ok: boolean; retryAfterMs: number }>;
}
