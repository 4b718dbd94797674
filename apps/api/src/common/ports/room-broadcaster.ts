import type { ServerToClientEvents } from '@reelroom/contracts';

export type ServerEvent = keyof ServerToClientEvents;
/** The one payload of a server event, as contracts types it. */
export type ServerPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/**
 * `cluster` (default): through the socket.io adapter to the sockets of every API process (request paths:
 * a command, an upload, a kick). `local`: this process's sockets only, for events every API process
 * observes by itself (its own BullMQ QueueEvents listener): through the adapter they would arrive once
 * per process.
 */
export type BroadcastScope = 'cluster' | 'local';

/**
 * How features reach the people in a room: the one port services depend on for anything real-time.
 * The realtime module implements it over socket.io (SocketBroadcaster); services never see a socket,
 * a server or a channel name, and unit specs pass a recording fake. Events and payloads are the
 * contracts' ServerToClientEvents, so a new event (e.g. `live:state`) is typed here without a change.
 */
export abstract class RoomBroadcaster {
  /** To everyone in the room. */
  abstract toRoom<E extends ServerEvent>(roomId: string, event: E, payload: ServerPayload<E>, scope?: BroadcastScope): void;
  /** To one member's sockets in the room (all their tabs, on every API process). */
  abstract toMember<E extends ServerEvent>(roomId: string, userId: string, event: E, payload: ServerPayload<E>): void;
  /** Disconnects every socket in the room, on every API process, after what was sent before. */
  abstract disconnectRoom(roomId: string): void;
  /** Disconnects one member's sockets in the room (their disconnect updates presence). */
  abstract disconnectMember(roomId: string, userId: string): void;
}
