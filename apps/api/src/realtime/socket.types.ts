import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@reelroom/contracts';
import type { AuthContext } from '../auth/auth.types.js';
import type { ServerEvent, ServerPayload } from '../common/ports/room-broadcaster.js';

/** What the server keeps on each socket: who (set by the handshake) and which room it joined. */
export interface SocketData {
  auth: AuthContext;
  roomId?: string;
  /** The client address of the handshake (ClientAddress: the same rule as HTTP). */
  address?: string;
}

export type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ClientEvent = keyof ClientToServerEvents;

/** socket.io's emit wants an event's argument list; ports and gateways pass its one payload (contracts type both). */
export const eventArgs = <E extends ServerEvent>(payload: ServerPayload<E>) => [payload] as Parameters<ServerToClientEvents[E]>;
