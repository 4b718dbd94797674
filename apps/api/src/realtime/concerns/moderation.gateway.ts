import { Injectable } from '@nestjs/common';
import { kickEventSchema, muteEventSchema, setRoleEventSchema, transferHostEventSchema } from '@reelroom/contracts';
import { CameraService } from '../../cameras/camera.service.js';
import { PresenceService } from '../../playback/presence.service.js';
import { SystemChat } from '../../playback/playback.service.js';
import { RoomsService } from '../../rooms/rooms.service.js';
import type { ClientSocket } from '../client-socket.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';
import { moderationLine, type ModerationEvent } from './moderation-lines.js';

/**
 * Moderation on the socket: roles, kicks and bans, mutes in the socket's room. RoomsService decides who
 * may do what and tells the target (room:you, room:kicked and a disconnect, through the broadcaster);
 * presence is kept in step here, the room reads what happened as a system line in chat, and the
 * moderator's ack carries the updated member list.
 */
@Injectable()
export class ModerationGateway extends SocketConcern {
  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly cameras: CameraService,
    private readonly events: SocketEvents,
    private readonly chat: SystemChat,
  ) {
    super();
  }

  bind(socket: ClientSocket): void {
    const actor = () => socket.data.auth.user.id;
    this.events.on(socket, 'mod:role', setRoleEventSchema, async ({ userId, role }, reply) => {
      const roomId = currentRoom(socket);
      const target = await this.nameOf(roomId, userId);
      await this.presence.updateMember(roomId, userId, await this.rooms.setRole(actor(), roomId, userId, role));
      await this.announce(socket, roomId, target, { kind: 'role', role });
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.events.on(socket, 'mod:kick', kickEventSchema, async ({ userId, ban }, reply) => {
      const roomId = currentRoom(socket);
      // Named before the kick: the target leaves presence with it.
      const target = await this.nameOf(roomId, userId);
      // Their media stops now, before their sockets go (whose disconnect would otherwise release the camera
      // first and tell the room they "left"): everyone drops their peer connections.
      await this.rooms.kick(actor(), roomId, userId, ban, { whileConnected: () => this.cameras.removeUser(roomId, userId) });
      await this.announce(socket, roomId, target, { kind: 'kick', ban });
      // The kicked member's sockets are disconnected; their disconnect updates presence.
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.events.on(socket, 'mod:mute', muteEventSchema, async ({ userId, minutes }, reply) => {
      const roomId = currentRoom(socket);
      const target = await this.nameOf(roomId, userId);
      await this.presence.updateMember(roomId, userId, await this.rooms.mute(actor(), roomId, userId, minutes));
      await this.announce(socket, roomId, target, { kind: 'mute', minutes });
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
    this.events.on(socket, 'mod:host', transferHostEventSchema, async ({ userId }, reply) => {
      const roomId = currentRoom(socket);
      const target = await this.nameOf(roomId, userId);
      const states = await this.rooms.transferHost(actor(), roomId, userId);
      await this.presence.updateMember(roomId, userId, states.target);
      await this.presence.updateMember(roomId, actor(), states.actor);
      await this.announce(socket, roomId, target, { kind: 'host' });
      reply({ ok: true, data: await this.presence.members(roomId) });
    });
  }

  /** The name the room knows the person by: presence first (guests too), then their account. */
  private async nameOf(roomId: string, userId: string): Promise<string> {
    const here = (await this.presence.members(roomId)).find((m) => m.userId === userId);
    return here?.name ?? (await this.rooms.displayName(userId)) ?? 'someone';
  }

  private async announce(socket: ClientSocket, roomId: string, target: string, e: ModerationEvent): Promise<void> {
    await this.chat.postSystem(roomId, moderationLine(socket.data.auth.user.displayName, target, e));
  }
}
