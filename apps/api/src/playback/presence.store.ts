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

/** One change to a person's presence in a room (PresenceStore.change). */
export interface PresenceEdit {
  /** Fields to overwrite in the record. */
  patch: Partial<PresenceRecord>;
  /** The record to start from when there is none yet; without it, a change to an unknown person does nothing. */
  create?: PresenceRecord;
  /**
   * Sockets of this process counted (+1) or uncounted (-1); at 0 the person is gone and their player
   * status is cleared. A -1 for a socket this process no longer owns (a sweep took it) changes nothing.
   */
  connDelta?: -1 | 0 | 1;
  /** Instead of connDelta: set this process's sockets of the person to exactly this many (reclaim after a sweep). */
  ownSockets?: number;
  /** Bump the room's presence version: a change people see (it becomes a `presence:delta`). */
  visible: boolean;
}

/** What a change left behind, read in the same atomic step. */
export interface PresenceChanged {
  /** The room's presence version after the change (unchanged when it was not visible). */
  v: number;
  /** Whether this change took a version of its own (visible, about someone here or just gone): then it must be sent. */
  bumped: boolean;
  /** The person's connected sockets now (0: gone). */
  connections: number;
  record: PresenceRecord;
}

/** A person's sockets counted out of a room because the process holding them stopped (a sweep). */
export interface SweptMember {
  roomId: string;
  userId: string;
  v: number;
  connections: number;
  record: PresenceRecord;
}

/**
 * Who is in each room, shared by every API process (RedisPresenceStore). PresenceService holds the rules
 * (what a join, a leave or a report changes, when to broadcast) and talks only to this port. Every write
 * is one atomic step with the version bump and the read-back, so a `presence:delta` carries exactly the
 * state at its version, whatever other processes do at the same moment.
 */
export abstract class PresenceStore {
  abstract get(roomId: string, userId: string): Promise<PresenceRecord | null>;
  /** Applies one edit atomically; null when the person has no record and `create` was not given. */
  abstract change(roomId: string, userId: string, edit: PresenceEdit): Promise<PresenceChanged | null>;
  /** How many people (not sockets) are connected to the room. */
  abstract connectedCount(roomId: string): Promise<number>;
  /** The connected people, in the order they were first recorded, and the version they were read at (one atomic read). */
  abstract connected(roomId: string): Promise<{ v: number; members: ConnectedMember[] }>;

  /**
   * Liveness of API processes: every socket counted is owned by the process that counted it. `heartbeat`
   * marks this process alive now and says whether it was registered (false: new, or swept as dead).
   */
  abstract heartbeat(): Promise<boolean>;
  /**
   * Counts out at most `limit` sockets of one process silent for `expiryMs` (or of this process, `own`),
   * atomically with their version bumps. `removed` 0: nothing left to sweep.
   */
  abstract sweep(opts: { expiryMs: number; limit: number; own?: boolean }): Promise<{ removed: number; members: SweptMember[] }>;
}
