import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CamerasModule } from '../cameras/cameras.module.js';
import { ChatModule } from '../chat/chat.module.js';
import { LiveModule } from '../live/live.module.js';
import { PlaybackModule } from '../playback/playback.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { CameraGateway } from './concerns/camera.gateway.js';
import { ChatGateway } from './concerns/chat.gateway.js';
import { MembershipGateway } from './concerns/membership.gateway.js';
import { ModerationGateway } from './concerns/moderation.gateway.js';
import { PlaybackGateway } from './concerns/playback.gateway.js';
import { UpNextGateway } from './concerns/up-next.gateway.js';
import { UpNextModule } from '../up-next/up-next.module.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { SocketAdapterFactory } from './socket-adapter.factory.js';
import { SocketAuthMiddleware } from './socket-auth.middleware.js';
import { SOCKET_CONCERNS, type SocketConcern } from './socket-concern.js';
import { SocketEvents } from './socket-events.js';

/**
 * The socket concerns, in the order they bind to a new socket. A new concern (live streaming next) is a
 * SocketConcern class in concerns/ added here, and the feature module it delegates to added to `imports`.
 */
const SOCKET_CONCERN_CLASSES = [MembershipGateway, ChatGateway, PlaybackGateway, ModerationGateway, CameraGateway, UpNextGateway];

/**
 * The socket side: one gateway that wires the server (adapter, handshake, flood guard) and the
 * per-concern gateways that hold the events. Realtime depends on the features it serves, never the
 * reverse: features reach sockets through the RoomBroadcaster port (BroadcastModule).
 */
@Module({
  imports: [AuthModule, RoomsModule, ChatModule, PlaybackModule, LiveModule, CamerasModule, UpNextModule],
  providers: [
    RealtimeGateway,
    SocketAdapterFactory,
    SocketAuthMiddleware,
    SocketEvents,
    ...SOCKET_CONCERN_CLASSES,
    { provide: SOCKET_CONCERNS, useFactory: (...concerns: SocketConcern[]) => concerns, inject: SOCKET_CONCERN_CLASSES },
  ],
})
export class RealtimeModule {}
