import type { AuthContext } from '../auth/auth.types.js';
import type { ServerEvent, ServerPayload } from '../common/ports/room-broadcaster.js';
import type { ClientSocket } from '../realtime/client-socket.js';
import type { ClientEvent, SocketData } from '../realtime/socket.types.js';

let sockets = 0;

/** A signed-in user as the handshake leaves it on `socket.data.auth`. */
export function authAs(id: string, displayName = id.toUpperCase(), isGuest = false): AuthContext {
  return { user: { id, email: isGuest ? null : `${id}@example.test`, displayName, isGuest }, sessionId: `session-${id}` };
}

/**
 * A ClientSocket that records what the gateways register and do. `send` plays a client event through
 * the registered listener and resolves with the ack it got; `fire` sends one without an ack.
 */
export class FakeSocket implements ClientSocket {
  readonly id = `socket-${++sockets}`;
  readonly data: SocketData;
  recovered = false;
  readonly listeners = new Map<ClientEvent, (payload: unknown, ack: unknown) => void>();
  readonly disconnectListeners: Array<() => void> = [];
  readonly channels = new Set<string>();
  readonly emitted: Array<{ event: ServerEvent; payload: unknown }> = [];
  readonly toOthers: Array<{ channel: string; event: ServerEvent; payload: unknown }> = [];
  disconnected = false;

  constructor(auth: AuthContext, data: Partial<SocketData> = {}) {
    this.data = { auth, ...data };
  }

  listen(event: ClientEvent, listener: (payload: unknown, ack: unknown) => void): void {
    if (this.listeners.has(event)) throw new Error(`${event} registered twice`);
    this.listeners.set(event, listener);
  }

  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }

  async join(channels: string[]): Promise<void> {
    for (const c of channels) this.channels.add(c);
  }

  async leave(channel: string): Promise<void> {
    this.channels.delete(channel);
  }

  emit<E extends ServerEvent>(event: E, payload: ServerPayload<E>): void {
    this.emitted.push({ event, payload });
  }

  emitToOthers<E extends ServerEvent>(channel: string, event: E, payload: ServerPayload<E>): void {
    this.toOthers.push({ channel, event, payload });
  }

  disconnect(): void {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l();
  }

  /** Sends a client event with an ack; resolves with the (first) reply. */
  send<R = unknown>(event: ClientEvent, payload: unknown): Promise<R> {
    const listener = this.listeners.get(event);
    if (!listener) return Promise.reject(new Error(`nothing listens to ${event}`));
    return new Promise<R>((resolve) => listener(payload, (reply: R) => resolve(reply)));
  }

  /** Sends a client event without an ack (as player:status and chat:typing are sent). */
  fire(event: ClientEvent, payload: unknown): void {
    const listener = this.listeners.get(event);
    if (!listener) throw new Error(`nothing listens to ${event}`);
    listener(payload, undefined);
  }
}
