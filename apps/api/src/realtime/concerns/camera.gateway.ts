import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { cameraMediaSchema, cameraSignalSchema } from '@reelroom/contracts';
import { CameraService } from '../../cameras/camera.service.js';
import type { ClientSocket } from '../client-socket.js';
import { peerChannel } from '../socket-channels.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

const leaveSchema = z.object({}).strict();

/**
 * The room's call on the socket (issue 13): join (a slot under CAMERA_LIMIT), mute and camera changes,
 * leave, and the WebRTC signalling relay. A signal goes to exactly one socket, and only when sender and
 * target are both in this room's call (CameraService.checkRelay); `from` is this socket's id, never what
 * the sender claims. Leaving the room or disconnecting frees the slot (MembershipGateway calls
 * CameraService.leave); a kick or a ban frees it before the sockets are gone (ModerationGateway).
 */
@Injectable()
export class CameraGateway extends SocketConcern {
  constructor(
    private readonly cameras: CameraService,
    private readonly events: SocketEvents,
  ) {
    super();
  }

  bind(socket: ClientSocket): void {
    this.events.on(socket, 'camera:join', cameraMediaSchema, async (media, reply) => {
      reply({ ok: true, data: await this.cameras.join(currentRoom(socket), socket.id, socket.data.auth.user, media) });
    });
    this.events.on(socket, 'camera:update', cameraMediaSchema, async (media, reply) => {
      reply({ ok: true, data: await this.cameras.update(currentRoom(socket), socket.id, media) });
    });
    this.events.on(socket, 'camera:leave', leaveSchema, async (_none, reply) => {
      await this.cameras.leave(currentRoom(socket), socket.id);
      reply({ ok: true, data: null });
    });
    this.events.on(socket, 'camera:signal', cameraSignalSchema, async ({ to, description, candidates }, reply) => {
      await this.cameras.checkRelay(currentRoom(socket), socket.id, to);
      socket.emitToOthers(peerChannel(to), 'camera:signal', {
        from: socket.id,
        ...(description ? { description } : {}),
        ...(candidates ? { candidates } : {}),
      });
      reply({ ok: true, data: null });
    });
  }
}
