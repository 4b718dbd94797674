import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { CameraService } from './camera.service.js';
import { CameraStore } from './camera.store.js';
import { RedisCameraStore } from './redis-camera.store.js';

/**
 * Cameras and voices beside the player (issue 13): the rules of a room's call and its slots in Redis.
 * The socket side (realtime/concerns/camera.gateway.ts) relays the WebRTC signalling; media flows
 * between browsers, never through the server.
 */
@Module({
  imports: [RoomsModule],
  providers: [CameraService, { provide: CameraStore, useClass: RedisCameraStore }],
  exports: [CameraService],
})
export class CamerasModule {}
