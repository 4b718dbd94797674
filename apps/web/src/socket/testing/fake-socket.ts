import type { AckCallback, AckEvent, AckReply, ListenArgs, Listener, ListenEvent, NoticeEvent, Payload, SocketPort } from '../socket-port';

type Listeners = { [E in ListenEvent]: Set<Listener<E>> };
type Sent<E extends AckEvent> = { payload: Payload<E>; timeoutMs: number; ack: AckCallback<E> };
type Pending = { [E in AckEvent]: Sent<E>[] };
type Notices = { [E in NoticeEvent]: Payload<E>[] };

// Every key present from the start: a generic event can then index these maps for reading and mutating.
const noListeners = (): Listeners => ({
  connect: new Set(),
  disconnect: new Set(),
  connect_error: new Set(),
  'sync:state': new Set(),
  'presence:delta': new Set(),
  'chat:message': new Set(),
  'chat:updated': new Set(),
  'chat:typing': new Set(),
  'room:updated': new Set(),
  'room:closed': new Set(),
  'room:kicked': new Set(),
  'room:you': new Set(),
  'media:updated': new Set(),
  'media:progress': new Set(),
  'media:subtitles': new Set(),
  'media:deleted': new Set(),
  'live:state': new Set(),
  'camera:joined': new Set(),
  'camera:updated': new Set(),
  'camera:left': new Set(),
  'camera:signal': new Set(),
  'queue:state': new Set(),
});
const noRequests = (): Pending => ({
  'room:join': [],
  'time:ping': [],
  'sync:command': [],
  'chat:send': [],
  'chat:react': [],
  'chat:delete': [],
  'chat:edit': [],
  'mod:role': [],
  'mod:kick': [],
  'mod:mute': [],
  'camera:join': [],
  'camera:update': [],
  'camera:leave': [],
  'camera:signal': [],
  'mod:host': [],
  'queue:get': [],
  'queue:add': [],
  'queue:move': [],
  'queue:remove': [],
  'queue:skip': [],
  'queue:vote': [],
  'presence:get': [],
});

/**
 * socket.io-client's socket as the wrapper sees it (SocketPort), with the server played by the test:
 * `serverSends` delivers an event, `answer`/`timeOut` settle a request, `goOnline`/`drop` connect.
 */
export class FakeSocket implements SocketPort {
  connected = false;
  connectCalls = 0;
  disconnectCalls = 0;
  private readonly listeners = noListeners();
  private readonly pending = noRequests();
  readonly notices: Notices = { 'player:status': [], 'chat:typing': [], 'room:leave': [] };

  connect(): void {
    this.connectCalls += 1;
  }

  disconnect(): void {
    this.disconnectCalls += 1;
    this.connected = false;
  }

  removeAllListeners(): void {
    for (const set of Object.values(this.listeners)) set.clear();
  }

  on<E extends ListenEvent>(event: E, listener: Listener<E>): void {
    this.listeners[event].add(listener);
  }

  off<E extends ListenEvent>(event: E, listener: Listener<E>): void {
    this.listeners[event].delete(listener);
  }

  notify<E extends NoticeEvent>(event: E, payload: Payload<E>): void {
    this.notices[event].push(payload);
  }

  request<E extends AckEvent>(event: E, payload: Payload<E>, timeoutMs: number, ack: AckCallback<E>): void {
    this.pending[event].push({ payload, timeoutMs, ack });
  }

  // ---- the test's side -------------------------------------------------------------------------

  /** The connection comes up (or back): socket.io fires 'connect'. */
  goOnline(): void {
    this.connected = true;
    this.serverSends('connect');
  }

  /** The connection drops: socket.io fires 'disconnect'. */
  drop(): void {
    this.connected = false;
    this.serverSends('disconnect');
  }

  serverSends<E extends ListenEvent>(event: E, ...args: ListenArgs<E>): void {
    for (const fn of [...this.listeners[event]]) fn(...args);
  }

  listenerCount(event?: ListenEvent): number {
    if (event) return this.listeners[event].size;
    return Object.values(this.listeners).reduce((n, set) => n + set.size, 0);
  }

  /** Requests sent for `event` and not settled yet. */
  requests<E extends AckEvent>(event: E): { payload: Payload<E>; timeoutMs: number }[] {
    return this.pending[event].map(({ payload, timeoutMs }) => ({ payload, timeoutMs }));
  }

  /** The server acknowledges the oldest pending `event`. */
  answer<E extends AckEvent>(event: E, reply: AckReply<E>): void {
    const next = this.pending[event].shift();
    if (!next) throw new Error(`no pending ${event}`);
    next.ack(null, reply);
  }

  /** The oldest pending `event` times out, as socket.io reports it. */
  timeOut(event: AckEvent): void {
    const next = this.pending[event].shift();
    if (!next) throw new Error(`no pending ${event}`);
    next.ack(new Error('operation has timed out'));
  }
}
