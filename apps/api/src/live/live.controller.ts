import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { startLiveBodySchema, WHIP_ENCODER_PATH, type LiveKeyView, type LiveStateView } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LiveService, type PublicRtmp } from './live.service.js';
import { WhipServer } from './whip/whip.server.js';
import { publicBase } from '../common/public-base.js';
import { roomIdParam } from '../rooms/room-id-param.js';

/**
 * The live surface (issue 8, kept stable): create the stream key and go live, rotate the key, end the
 * live (and disable the key), read the live state. The key appears only in the create and rotate answers.
 */
@Controller('api/rooms/:id/live')
@UseGuards(AuthGuard)
export class LiveController {
  constructor(
    private readonly live: LiveService,
    private readonly whip: WhipServer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  create(
    @Auth() ctx: AuthContext,
    @Param('id') id: string,
    @Body(new ZodPipe(startLiveBodySchema)) body: { mode?: 'standard' | 'low' },
    @Req() req: Request,
  ): Promise<LiveKeyView> {
    return this.withWhip(req, this.live.createKey(ctx.user.id, roomIdParam(id), body.mode, this.rtmp(req)));
  }

  @Post('rotate-key')
  @HttpCode(201)
  rotate(@Auth() ctx: AuthContext, @Param('id') id: string, @Req() req: Request): Promise<LiveKeyView> {
    return this.withWhip(req, this.live.rotateKey(ctx.user.id, roomIdParam(id), this.rtmp(req)));
  }

  @Delete()
  @HttpCode(204)
  async end(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<void> {
    await this.live.endLive(ctx.user.id, roomIdParam(id));
  }

  @Get()
  get(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<LiveStateView> {
    return this.live.state(ctx.user.id, roomIdParam(id));
  }

  /**
   * The encoders' WHIP endpoint (OBS 30+, Service "WHIP", the same key as its bearer token), where WHIP is
   * on, at this instance's public address (publicBase).
   */
  private async withWhip(req: Request, view: Promise<LiveKeyView>): Promise<LiveKeyView> {
    const key = await view;
    if (!this.whip.enabled) return key;
    return { ...key, whipUrl: `${publicBase(req, this.config.publicUrl)}${WHIP_ENCODER_PATH}` };
  }

  /** The host OBS should reach: PUBLIC_URL's host when configured, else the host this page was loaded from. */
  private rtmp(req: Request): PublicRtmp & { host: string } {
    const host = this.config.publicUrl ? new URL(this.config.publicUrl).hostname : req.hostname;
    return { configured: this.config.rtmp.publicUrl, port: this.config.rtmp.port, host };
  }
}
