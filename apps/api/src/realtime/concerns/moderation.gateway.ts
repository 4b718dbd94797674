import { Injectable } from '@nestjs/common';
import { kickEventSchema, muteEventSchema, setRoleEventSchema } from '@reelroom/contracts';
import { CameraService } from '../../cameras/camera.service.js';
import { PresenceService } from '../../playback/presence.service.js';
import { RoomsService } from '../../rooms/rooms.service.js';
import type { ClientSocket } from '../client-socket.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

/**
 * Moderation on the socket: roles, kicks and bans, mutes in the socket's room. RoomsService decides who
 * may do what and tells the target (room:you, room:kicked and a disconnect, through the broadcaster);
 * presence is kept in step here, and the moderator's ack carries the updated member list.
 */
@Injectable()
export class ModerationGateway extends SocketConcern {
  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly cameras: CameraService,
    private readonly events: SocketEvents,
  ) {
    super();
  }

  bind(socket: ClientSocket): void {
    const actor = () => socket.data.auth.user.id;
    this.events.on(socket, 'mod:role', setRoleEventSchema, async ({ userId, role }, reply) => {
      const roomId = currentRoom(socket);
      await this.presence.updateMember(roomId, userId, await this.rooms.setRole(actor(), roomId, userId, role));
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.events.on(socket, 'mod:kick', kickEventSchema, async ({ userId, ban }, reply) => {
      const roomId = currentRoom(socket);
      await this.rooms.kick(actor(), roomId, userId, ban);
      // Their media stops now: everyone drops their peer connections, whatever their sockets do next.
      await this.cameras.removeUser(roomId, userId);
      // The kicked member's sockets are disconnected; their disconnect updates presence.
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.events.on(socket, 'mod:mute', muteEventSchema, async ({ userId, minutes }, reply) => {
      const roomId = currentRoom(socket);
      await this.presence.updateMember(roomId, userId, await this.rooms.mute(actor(), roomId, userId, minutes));
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
  }
}
