import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@reelroom/contracts';

/**
 * A socket.io connection as the server sees any client: untyped on purpose, so a test can also send
 * what a hostile or buggy client sends (a wrong payload, an oversized one). The helpers below type
 * what the tests read back from the contracts' event maps.
 */
export type WireSocket = Socket;

/** The shape of every acknowledgement the API sends. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: string; retryAfterMs?: number };

type ServerEvent = keyof ServerToClientEvents;
type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** Connects with the session token over WebSocket only, without reconnecting; resolves once connected. */
export function connectSocket(baseUrl: string, token: string): Promise<WireSocket> {
  const s = io(baseUrl, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** Emits `event` with an acknowledgement and resolves with the server's reply; rejects when none comes in time. */
export function ask<T = unknown>(s: WireSocket, event: keyof ClientToServerEvents, payload: unknown, timeoutMs = 5000): Promise<Reply<T>> {
  return s.timeout(timeoutMs).emitWithAck(event, payload);
}

/** The data of a successful reply; throws with the server's message otherwise. */
export function okData<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected an ok reply, got: ${reply.error}`);
  return reply.data;
}

/** Calls `listener` for every `event` the server sends, typed by the contracts. */
export function onEvent<E extends ServerEvent>(s: WireSocket, event: E, listener: ServerToClientEvents[E]): void {
  const name: string = event; // the wire socket's listeners are untyped: any name, any arguments
  s.on(name, listener);
}

/** The next `event` whose payload satisfies `pred`; rejects after `timeoutMs`. */
export function nextEvent<E extends ServerEvent>(
  s: WireSocket,
  event: E,
  pred: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Payload<E>> {
  const name: string = event;
  return new Promise((resolve, reject) => {
    const handler = (payload: Payload<E>) => {
      if (!pred(payload)) return;
      clearTimeout(timer);
      s.off(name, handler);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      s.off(name, handler);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on(name, handler);
  });
}

/** Resolves with the disconnect reason (at once if already disconnected); rejects after `timeoutMs`. */
export function disconnected(s: WireSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (s.disconnected) return resolve('already');
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    s.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
