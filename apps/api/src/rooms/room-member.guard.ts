import { CanActivate, ExecutionContext, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { roomIdSchema } from '@reelroom/contracts';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { NO_SUCH_ROOM, RoomAccessPolicy } from './room-access.policy.js';

export const GUEST_UPLOAD_REFUSED = 'Create an account to upload.';

/**
 * Checks that the caller belongs to the room in `:id` BEFORE the handler (and before multer reads an
 * upload body), so a stranger cannot stream gigabytes at us only to be refused afterwards.
 * Must run after AuthGuard. Reads (GET, HEAD) are fine in a closed room; writes need an open one (410).
 * Guests may read (list media) but not write (upload): 403 on anything else.
 */
@Injectable()
export class RoomMemberGuard implements CanActivate {
  constructor(private readonly access: RoomAccessPolicy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const roomId = req.params.id;
    if (typeof roomId !== 'string' || !roomIdSchema.safeParse(roomId).success) throw new NotFoundException(NO_SUCH_ROOM);
    const reads = req.method === 'GET' || req.method === 'HEAD';
    await this.access.require(req.auth!.user.id, roomId, reads ? 'see' : 'take-part');
    if (req.auth!.user.isGuest && !reads) throw new ForbiddenException(GUEST_UPLOAD_REFUSED);
    return true;
  }
}
