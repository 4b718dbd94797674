import type { ClientToServerEvents, ServerToClientEvents } from '@reelroom/contracts';

/** socket.io's own connection events, which the wrapper listens to next to the server's. */
interface ConnectionEvents {
  connect: () => void;
  disconnect: () => void;
  connect_error: (err: Error) => void;
}
type Listens = ServerToClientEvents & ConnectionEvents;

// The events this client uses, by name: an event added to contracts becomes usable here deliberately
// (and its line in socket-io-port.ts), rather than breaking the build of whoever adds it.
export type ListenEvent =
  | keyof ConnectionEvents
  | 'sync:state'
  | 'presence:delta'
  | 'chat:message'
  | 'chat:updated'
  | 'chat:typing'
  | 'room:updated'
  | 'room:closed'
  | 'room:kicked'
  | 'room:you'
  | 'media:updated'
  | 'media:progress'
  | 'media:subtitles'
  | 'media:deleted'
  | 'live:state'
  | 'camera:joined'
  | 'camera:updated'
  | 'camera:left'
  | 'camera:signal'
  | 'queue:state';
/** Events the server acknowledges. */
export type AckEvent =
  | 'room:join'
  | 'time:ping'
  | 'sync:command'
  | 'chat:send'
  | 'chat:react'
  | 'chat:delete'
  | 'chat:edit'
  | 'mod:role'
  | 'mod:kick'
  | 'mod:mute'
  | 'camera:join'
  | 'camera:update'
  | 'camera:leave'
  | 'camera:signal'
  | 'mod:host'
  | 'queue:get'
  | 'queue:add'
  | 'queue:move'
  | 'queue:remove'
  | 'queue:skip'
  | 'queue:vote'
  | 'presence:get';
/** Fire and forget. */
export type NoticeEvent = 'player:status' | 'chat:typing' | 'room:leave';

// Written as maps over the event name, so that TypeScript relates a listener, payload or reply to its
// event even when the event is a type parameter.
type ListenArgsMap = { [E in ListenEvent]: Parameters<Listens[E]> };
export type ListenArgs<E extends ListenEvent> = ListenArgsMap[E];
export type Listener<E extends ListenEvent> = (...args: ListenArgs<E>) => void;
type PayloadMap = { [E in AckEvent | NoticeEvent]: Parameters<ClientToServerEvents[E]>[0] };
export type Payload<E extends AckEvent | NoticeEvent> = PayloadMap[E];
type ReplyMap = { [E in AckEvent]: Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] };
export type AckReply<E extends AckEvent> = ReplyMap[E];
/** `err`: the server did not acknowledge within the timeout (socket.io then passes no reply). */
export type AckCallback<E extends AckEvent> = (err: Error | null, reply?: AckReply<E>) => void;

/**
 * The part of a socket.io-client socket the wrapper (room-socket.ts) uses. socket-io-port.ts adapts the
 * real one; unit tests give the wrapper a fake.
 */
export interface SocketPort {
  readonly connected: boolean;
  connect(): void;
  disconnect(): void;
  removeAllListeners(): void;
  on<E extends ListenEvent>(event: E, listener: Listener<E>): void;
  off<E extends ListenEvent>(event: E, listener: Listener<E>): void;
  notify<E extends NoticeEvent>(event: E, payload: Payload<E>): void;
  request<E extends AckEvent>(event: E, payload: Payload<E>, timeoutMs: number, ack: AckCallback<E>): void;
}
