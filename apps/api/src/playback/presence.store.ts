import type { PlayerStatus, RoomRole } from '@reelroom/contracts';

/** What presence remembers about one person in one room (across their sockets and API processes). */
export interface PresenceRecord {
  name: string;
  role: RoomRole;
  isGuest: boolean;
  player: PlayerStatus | null;
  mutedUntil: string | null;
  /** Best round trip this user's client measured (ms), for the scheduling lead. */
  rttMs: number | null;
}

/** A person with at least one connected socket in the room. */
export interface ConnectedMember {
  userId: string;
  record: PresenceRecord;
  /** Their connected sockets in the room, over every API process (at least 1). */
  connections: number;
}

/**
 * Who is in each room, shared by every API process (RedisPresenceStore). PresenceService holds the rules
 * (what a join, a leave or a report changes, when to broadcast) and talks only to this port.
 */
export abstract class PresenceStore {
  abstract get(roomId: string, userId: string): Promise<PresenceRecord | null>;
  abstract put(roomId: string, userId: string, record: PresenceRecord): Promise<void>;
  /** Counts one more socket of the user in the room; returns their sockets there now. Atomic. */
  abstract addConnection(roomId: string, userId: string): Promise<number>;
  /** Counts one socket less (forgetting the user's count at 0); returns their sockets left, never below 0. Atomic. */
  abstract removeConnection(roomId: string, userId: string): Promise<number>;
  /** How many people (not sockets) are connected to the room. */
  abstract connectedCount(roomId: string): Promise<number>;
  /** The connected people, in the order they were first recorded. */
  abstract connected(roomId: string): Promise<ConnectedMember[]>;
}
