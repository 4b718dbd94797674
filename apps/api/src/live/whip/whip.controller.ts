import { Controller, Delete, HttpCode, NotFoundException, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { whipPath } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../../auth/auth.guard.js';
import type { AuthContext } from '../../auth/auth.types.js';
import { NO_SUCH_SESSION, WhipServer } from './whip.server.js';
import { SESSION_ID, sdpOffer, sendAnswer } from './whip-http.js';
import { roomIdParam } from '../../rooms/room-id-param.js';

/**
 * WHIP (RFC 9725): the host's page POSTs its SDP offer and gets the answer (201, `Location` names the
 * session); DELETE on that location stops the live cleanly (200, no body). The body is read by main.ts's text parser for
 * `application/sdp` (at most WHIP_OFFER_MAX_BYTES; larger is a 413).
 */
@Controller('api/rooms/:id/live/whip')
@UseGuards(AuthGuard)
export class WhipController {
  constructor(private readonly whip: WhipServer) {}

  @Post()
  async offer(@Auth() ctx: AuthContext, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const roomId = roomIdParam(id);
    const { id: session, answer } = await this.whip.start(ctx.user.id, roomId, sdpOffer(req));
    sendAnswer(res, `${whipPath(roomId)}/${session}`, answer);
  }

  /** RFC 9725 section 4.2: 200 for the DELETE that ends the session. */
  @Delete(':session')
  @HttpCode(200)
  end(@Auth() ctx: AuthContext, @Param('id') id: string, @Param('session') session: string): void {
    if (!SESSION_ID.test(session)) throw new NotFoundException(NO_SUCH_SESSION);
    this.whip.stop(ctx.user.id, roomIdParam(id), session);
  }
}
