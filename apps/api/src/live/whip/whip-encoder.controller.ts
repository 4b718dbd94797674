import { Controller, Delete, Headers, HttpCode, NotFoundException, Param, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WHIP_ENCODER_PATH } from '@reelroom/contracts';
import { NO_SUCH_SESSION, WhipServer } from './whip.server.js';
import { SESSION_ID, sdpOffer, sendAnswer } from './whip-http.js';

const NO_TOKEN = "Send the room's stream key as the bearer token (OBS: Settings, Stream, Bearer Token).";

/** The bearer token of an `Authorization` header, or a 401 that says what to send (RFC 6750's challenge). */
function bearer(header: string | undefined): string {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (!token) throw new UnauthorizedException(NO_TOKEN);
  return token;
}

/**
 * WHIP for encoders (RFC 9725; OBS 30+ has it as Service "WHIP"): POST the SDP offer with the room's stream
 * key as the bearer token, get 201, the answer and a `Location`; DELETE that location with the same token
 * ends the live cleanly. No session cookie: the key is the credential and names the room, as for RTMP.
 * Every 401 carries the `WWW-Authenticate: Bearer` challenge.
 */
@Controller(WHIP_ENCODER_PATH.slice(1))
export class WhipEncoderController {
  constructor(private readonly whip: WhipServer) {}

  @Post()
  async offer(@Headers('authorization') authorization: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const key = await challenged(res, () => bearer(authorization));
    const offer = sdpOffer(req);
    const { id, answer } = await challenged(res, () => this.whip.startForEncoder(key, offer), 'invalid');
    sendAnswer(res, `${WHIP_ENCODER_PATH}/${id}`, answer);
  }

  @Delete(':session')
  @HttpCode(200)
  async end(
    @Headers('authorization') authorization: string | undefined,
    @Param('session') session: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const key = await challenged(res, () => bearer(authorization));
    if (!SESSION_ID.test(session)) throw new NotFoundException(NO_SUCH_SESSION);
    await this.whip.stopForEncoder(key, session);
  }
}

/**
 * A 401 from `run` goes out with the Bearer challenge; `invalid`: a token was sent and is no room's key
 * (RFC 6750's `error="invalid_token"`).
 */
async function challenged<T>(res: Response, run: () => T | Promise<T>, token?: 'invalid'): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UnauthorizedException) res.setHeader('WWW-Authenticate', token ? 'Bearer error="invalid_token"' : 'Bearer');
    throw err;
  }
}
