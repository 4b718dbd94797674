import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@reelroom/contracts';
import type { AckCallback, AckEvent, Listener, ListenEvent, NoticeEvent, Payload, SocketPort } from './socket-port';

export type ReelroomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<ReelroomSocket['timeout']>;

/**
 * socket.io-client's socket as a SocketPort. socket.io types each method with conditional types that
 * TypeScript resolves only for one named event, so there is one line per event below, each checked
 * against contracts; the maps make a missing line a compile error.
 */
export function socketIoPort(socket: ReelroomSocket): SocketPort {
  const listen: { [E in ListenEvent]: (fn: Listener<E>, on: boolean) => void } = {
    connect: (fn, on) => (on ? socket.on('connect', fn) : socket.off('connect', fn)),
    disconnect: (fn, on) => (on ? socket.on('disconnect', fn) : socket.off('disconnect', fn)),
    connect_error: (fn, on) => (on ? socket.on('connect_error', fn) : socket.off('connect_error', fn)),
    'sync:state': (fn, on) => (on ? socket.on('sync:state', fn) : socket.off('sync:state', fn)),
    'presence:delta': (fn, on) => (on ? socket.on('presence:delta', fn) : socket.off('presence:delta', fn)),
    'chat:message': (fn, on) => (on ? socket.on('chat:message', fn) : socket.off('chat:message', fn)),
    'chat:updated': (fn, on) => (on ? socket.on('chat:updated', fn) : socket.off('chat:updated', fn)),
    'chat:typing': (fn, on) => (on ? socket.on('chat:typing', fn) : socket.off('chat:typing', fn)),
    'room:updated': (fn, on) => (on ? socket.on('room:updated', fn) : socket.off('room:updated', fn)),
    'room:closed': (fn, on) => (on ? socket.on('room:closed', fn) : socket.off('room:closed', fn)),
    'room:kicked': (fn, on) => (on ? socket.on('room:kicked', fn) : socket.off('room:kicked', fn)),
    'room:you': (fn, on) => (on ? socket.on('room:you', fn) : socket.off('room:you', fn)),
    'media:updated': (fn, on) => (on ? socket.on('media:updated', fn) : socket.off('media:updated', fn)),
    'media:progress': (fn, on) => (on ? socket.on('media:progress', fn) : socket.off('media:progress', fn)),
    'media:subtitles': (fn, on) => (on ? socket.on('media:subtitles', fn) : socket.off('media:subtitles', fn)),
    'media:deleted': (fn, on) => (on ? socket.on('media:deleted', fn) : socket.off('media:deleted', fn)),
    'live:state': (fn, on) => (on ? socket.on('live:state', fn) : socket.off('live:state', fn)),
    'camera:joined': (fn, on) => (on ? socket.on('camera:joined', fn) : socket.off('camera:joined', fn)),
    'camera:updated': (fn, on) => (on ? socket.on('camera:updated', fn) : socket.off('camera:updated', fn)),
    'camera:left': (fn, on) => (on ? socket.on('camera:left', fn) : socket.off('camera:left', fn)),
    'camera:signal': (fn, on) => (on ? socket.on('camera:signal', fn) : socket.off('camera:signal', fn)),
    'queue:state': (fn, on) => (on ? socket.on('queue:state', fn) : socket.off('queue:state', fn)),
  };
  const notices: { [E in NoticeEvent]: (payload: Payload<E>) => void } = {
    'player:status': (p) => socket.emit('player:status', p),
    'chat:typing': (p) => socket.emit('chat:typing', p),
    'room:leave': (p) => socket.emit('room:leave', p),
  };
  const requests: { [E in AckEvent]: (timed: TimedSocket, payload: Payload<E>, ack: AckCallback<E>) => void } = {
    'room:join': (t, p, ack) => t.emit('room:join', p, ack),
    'time:ping': (t, p, ack) => t.emit('time:ping', p, ack),
    'sync:command': (t, p, ack) => t.emit('sync:command', p, ack),
    'chat:send': (t, p, ack) => t.emit('chat:send', p, ack),
    'chat:react': (t, p, ack) => t.emit('chat:react', p, ack),
    'chat:delete': (t, p, ack) => t.emit('chat:delete', p, ack),
    'chat:edit': (t, p, ack) => t.emit('chat:edit', p, ack),
    'mod:role': (t, p, ack) => t.emit('mod:role', p, ack),
    'mod:kick': (t, p, ack) => t.emit('mod:kick', p, ack),
    'mod:mute': (t, p, ack) => t.emit('mod:mute', p, ack),
    'camera:join': (t, p, ack) => t.emit('camera:join', p, ack),
    'camera:update': (t, p, ack) => t.emit('camera:update', p, ack),
    'camera:leave': (t, p, ack) => t.emit('camera:leave', p, ack),
    'camera:signal': (t, p, ack) => t.emit('camera:signal', p, ack),
    'mod:host': (t, p, ack) => t.emit('mod:host', p, ack),
    'queue:get': (t, p, ack) => t.emit('queue:get', p, ack),
    'queue:add': (t, p, ack) => t.emit('queue:add', p, ack),
    'queue:move': (t, p, ack) => t.emit('queue:move', p, ack),
    'queue:remove': (t, p, ack) => t.emit('queue:remove', p, ack),
    'queue:skip': (t, p, ack) => t.emit('queue:skip', p, ack),
    'queue:vote': (t, p, ack) => t.emit('queue:vote', p, ack),
    'presence:get': (t, p, ack) => t.emit('presence:get', p, ack),
  };
  return {
    get connected() {
      return socket.connected;
    },
    connect: () => void socket.connect(),
    disconnect: () => void socket.disconnect(),
    removeAllListeners: () => void socket.removeAllListeners(),
    on: (event, fn) => listen[event](fn, true),
    off: (event, fn) => listen[event](fn, false),
    notify: (event, payload) => notices[event](payload),
    request: (event, payload, timeoutMs, ack) => requests[event](socket.timeout(timeoutMs), payload, ack),
  };
}
