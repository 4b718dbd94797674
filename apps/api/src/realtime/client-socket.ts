import type { ServerEvent, ServerPayload } from '../common/ports/room-broadcaster.js';
import { eventArgs, type ClientEvent, type RoomSocket, type SocketData } from './socket.types.js';

/**
 * The part of a socket.io socket that the per-concern gateways use. Small on purpose: unit specs pass a
 * typed fake (`implements ClientSocket`) that records handlers and acks, and socket.io's generic event
 * typing stays in one adapter (SocketIoClient) instead of in every handler.
 */
export interface ClientSocket {
  readonly id: string;
  readonly data: SocketData;
  /** True when connection state recovery restored this socket (its rooms and data) after a short drop. */
  readonly recovered: boolean;
  /** Registers the raw listener of a client event (use `SocketEvents.on`, which validates and acks). */
  listen(event: ClientEvent, listener: (payload: unknown, ack: unknown) => void): void;
  onDisconnect(listener: () => void): void;
  join(channels: string[]): Promise<void>;
  leave(channel: string): Promise<void>;
  /** To this socket only. */
  emit<E extends ServerEvent>(event: E, payload: ServerPayload<E>): void;
  /** To every socket in the channel except this one (on every API process). */
  emitToOthers<E extends ServerEvent>(channel: string, event: E, payload: ServerPayload<E>): void;
  disconnect(): void;
}

/** ClientSocket over a real socket.io socket. */
export class SocketIoClient implements ClientSocket {
  constructor(private readonly socket: RoomSocket) {}

  get id(): string {
    return this.socket.id;
  }

  get data(): SocketData {
    return this.socket.data;
  }

  get recovered(): boolean {
    return this.socket.recovered;
  }

  listen(event: ClientEvent, listener: (payload: unknown, ack: unknown) => void): void {
    this.socket.on(event, listener);
  }

  onDisconnect(listener: () => void): void {
    this.socket.on('disconnect', listener);
  }

  async join(channels: string[]): Promise<void> {
    await this.socket.join(channels);
  }

  async leave(channel: string): Promise<void> {
    await this.socket.leave(channel);
  }

  emit<E extends ServerEvent>(event: E, payload: ServerPayload<E>): void {
    this.socket.emit(event, ...eventArgs<E>(payload));
  }

  emitToOthers<E extends ServerEvent>(channel: string, event: E, payload: ServerPayload<E>): void {
    this.socket.to(channel).emit(event, ...eventArgs<E>(payload));
  }

  disconnect(): void {
    this.socket.disconnect(true);
  }
}
