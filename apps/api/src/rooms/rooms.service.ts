import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { RoomRole, RoomView } from '@reelroom/contracts';
import { RoomsRepository, type RoomRecord } from './rooms.repository.js';
import { newRoomId } from './room-id.js';

const toView = (r: RoomRecord, myRole: RoomRole | null): RoomView => ({
  id: r.id,
  name: r.name,
  ownerId: r.ownerId,
  createdAt: r.createdAt.toISOString(),
  myRole,
});

@Injectable()
export class RoomsService {
  constructor(private readonly rooms: RoomsRepository) {}

  async create(userId: string, name: string): Promise<RoomView> {
    const room = await this.rooms.createWithHost(newRoomId(), name, userId);
    return toView(room, 'host');
  }

  async get(userId: string, roomId: string): Promise<RoomView> {
    const room = await this.rooms.findById(roomId);
    if (!room) throw new NotFoundException('This room does not exist.');
    return toView(room, await this.rooms.roleOf(roomId, userId));
  }

  /** Anyone signed in who has the room link may join as a viewer (the link is the secret). */
  async join(userId: string, roomId: string): Promise<RoomView> {
    const room = await this.rooms.findById(roomId);
    if (!room) throw new NotFoundException('This room does not exist.');
    return toView(room, await this.rooms.addMember(roomId, userId, 'viewer'));
  }

  async listMine(userId: string): Promise<RoomView[]> {
    return (await this.rooms.listForUser(userId)).map((r) => toView(r, r.role));
  }

  /** Throws 404 for an unknown room and 403 for a room the user has not joined. */
  async requireMember(userId: string, roomId: string): Promise<RoomRole> {
    const role = await this.rooms.roleOf(roomId, userId);
    if (role) return role;
    const room = await this.rooms.findById(roomId);
    if (!room) throw new NotFoundException('This room does not exist.');
    throw new ForbiddenException('Join this room first.');
  }
}
