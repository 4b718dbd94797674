import { Global, Module } from '@nestjs/common';
import { RoomBroadcaster } from '../common/ports/room-broadcaster.js';
import { SocketBroadcaster } from './socket.broadcaster.js';
import { SocketServerHolder } from './socket-server.holder.js';
import { SessionSockets } from '../common/ports/session-sockets.js';
import { SocketSessionDisconnector } from './socket-session.disconnector.js';
import { SocketEvacuation } from './socket-evacuation.js';

/**
 * Binds the RoomBroadcaster and SessionSockets ports to their socket.io implementations, for every module. Global, and
 * registered once in AppModule: features inject the port without importing anything from realtime, so
 * realtime may depend on them (RealtimeModule imports rooms, chat, playback) without a cycle.
 */
@Global()
@Module({
  providers: [
    SocketServerHolder,
    SocketBroadcaster,
    { provide: RoomBroadcaster, useExisting: SocketBroadcaster },
    { provide: SessionSockets, useClass: SocketSessionDisconnector },
    SocketEvacuation,
  ],
  exports: [RoomBroadcaster, SessionSockets, SocketServerHolder, SocketEvacuation],
})
export class BroadcastModule {}
