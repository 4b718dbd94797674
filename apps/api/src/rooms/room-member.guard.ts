import { CanActivate, ExecutionContext, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { roomIdSchema } from '@reelroom/contracts';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RoomsService } from './rooms.service.js';

export const GUEST_UPLOAD_REFUSED = 'Create an account to upload.';

/**
 * Checks that the caller belongs to the room in `:id` BEFORE the handler (and before multer reads an
 * upload body), so a stranger cannot stream gigabytes at us only to be refused afterwards.
 * Must run after AuthGuard. Guests may read (list media) but not write (upload): 403 on anything else.
 */
@Injectable()
export class RoomMemberGuard implements CanActivate {
  constructor(private readonly rooms: RoomsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const roomId = req.params.id;
    if (typeof roomId !== 'string' || !roomIdSchema.safeParse(roomId).success) throw new NotFoundException('This room does not exist.');
    await this.rooms.requireMember(req.auth!.user.id, roomId);
    if (req.auth!.user.isGuest && req.method !== 'GET' && req.method !== 'HEAD') throw new ForbiddenException(GUEST_UPLOAD_REFUSED);
    return true;
  }
}
