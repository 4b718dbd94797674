import { Injectable } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { RedisConnections } from '../redis/redis-connections.js';

/**
 * The socket.io Redis Streams adapter: broadcasts reach every API process, short Redis drops are
 * survived, and connection state recovery works across processes (socket.io docs, adapter-redis-streams).
 * Keys under our prefix. The adapter reads the stream on duplicates of this connection, which it closes
 * itself when the server closes; RedisConnections closes this one after that.
 */
@Injectable()
export class SocketAdapterFactory {
  constructor(private readonly connections: RedisConnections) {}

  create(): ReturnType<typeof createAdapter> {
    return createAdapter(this.connections.connection('socketio-adapter', 'subscriber'), {
      streamName: this.connections.key('socket.io'),
      sessionKeyPrefix: this.connections.key('sio', 'session', ''),
      maxLen: 10_000,
    });
  }
}
