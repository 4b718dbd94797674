import type { ClientSocket } from './client-socket.js';

/**
 * One concern of the socket side (room membership, chat, playback, moderation; live streaming next):
 * a thin gateway that registers its client events on each new socket, validates them (SocketEvents.on)
 * and delegates to its feature's service. It holds no rules.
 *
 * Why one Nest @WebSocketGateway (RealtimeGateway) and concern classes rather than one Nest gateway per
 * concern on the same path: the handshake authentication, the adapter and the flood guard must be in
 * place before any concern sees an event, in one order, once; `@SubscribeMessage` handlers would bypass
 * our validate-and-always-ack wrapper and our error replies (which carry fields such as retryAfterMs);
 * and a concern that is a plain class unit-tests with a fake socket, without Nest's metadata scanning.
 *
 * A new concern: a class in realtime/concerns/<concern>.gateway.ts extending this one, listed in
 * SOCKET_CONCERN_CLASSES (realtime.module.ts). Its events go into contracts' ClientToServerEvents; what it
 * tells rooms goes through the RoomBroadcaster port, from its feature's service.
 */
export abstract class SocketConcern {
  /** Registers this concern's listeners on a socket that just connected (authenticated). */
  abstract bind(socket: ClientSocket): void;
}

/** Injection token: every SocketConcern, in the order they bind. */
export const SOCKET_CONCERNS = Symbol('SOCKET_CONCERNS');
