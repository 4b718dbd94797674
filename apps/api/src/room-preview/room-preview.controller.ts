import { Controller, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { roomIdSchema, type RoomPreview } from '@reelroom/contracts';
import { AuthService } from '../auth/auth.service.js';
import { tokenFromRequest } from '../auth/auth.guard.js';
import { knownDevice } from '../auth/device-cookie.js';
import { ClientAddress } from '../common/net/client-address.js';
import { PresenceService } from '../playback/presence.service.js';
import { joinRefused, RoomsService } from '../rooms/rooms.service.js';

/**
 * GET /api/rooms/:id/preview: the join page's look at a room before joining (name, host, PIN or not, how
 * many watch). No sign-in needed; a session, when there is one, lets a ban refuse it. Its own module
 * because it joins rooms (who may see it) and presence (how many watch), and presence builds on rooms.
 */
@Controller('api/rooms')
export class RoomPreviewController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly auth: AuthService,
    private readonly address: ClientAddress,
  ) {}

  @Get(':id/preview')
  async preview(@Param('id') id: string, @Req() req: Request): Promise<RoomPreview> {
    if (!roomIdSchema.safeParse(id).success) throw joinRefused();
    const session = await this.auth.authenticate(tokenFromRequest(req.headers, req.cookies));
    const knock = { userId: session?.user.id ?? null, deviceId: knownDevice(req), address: this.address.ofRequest(req) };
    const { room, hostName } = await this.rooms.preview(id, knock);
    const watching = (await this.presence.members(id)).filter((m) => m.connections > 0).length;
    return { id: room.id, name: room.name, hostName, hasPin: room.pinHash !== null, watching };
  }
}
