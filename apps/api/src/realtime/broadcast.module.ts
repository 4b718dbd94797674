import { Global, Module } from '@nestjs/common';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { SocketBroadcaster } from './socket.broadcaster.js';
import { SocketServerHolder } from './socket-server.holder.js';

/**
 * Binds the RoomBroadcaster port to its socket.io implementation, for every module. Global, and
 * registered once in AppModule: features inject the port without importing anything from realtime, so
 * realtime may depend on them (RealtimeModule imports rooms, chat, playback) without a cycle.
 */
@Global()
@Module({
  providers: [SocketServerHolder, SocketBroadcaster, { provide: RoomBroadcaster, useExisting: SocketBroadcaster }],
  exports: [RoomBroadcaster, SocketServerHolder],
})
export class BroadcastModule {}
