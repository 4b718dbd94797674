import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Patch,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  createRoomBodySchema,
  guestJoinBodySchema,
  joinRoomBodySchema,
  roomIdSchema,
  SESSION_COOKIE,
  updateRoomBodySchema,
  type AuthResponse,
  type BanView,
  type RoomView,
  type UpdateRoomBody,
} from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { ClientAddress } from '../common/net/client-address.js';
import { clientInfoOf, rememberDevice } from '../auth/device-cookie.js';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { joinRefused, RoomsService } from './rooms.service.js';
import { roomIdParam } from './room-id-param.js';

/** Join endpoints answer the generic refusal for a malformed id too. */
const joinIdParam = (id: string) => {
  if (!roomIdSchema.safeParse(id).success) throw joinRefused();
  return id;
};

@Controller('api/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly address: ClientAddress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @UseGuards(AuthGuard)
  create(@Auth() ctx: AuthContext, @Body(new ZodPipe(createRoomBodySchema)) body: { name: string; pin?: string }): Promise<RoomView> {
    return this.rooms.create(ctx.user.id, body.name, body.pin);
  }

  @Get()
  @UseGuards(AuthGuard)
  list(@Auth() ctx: AuthContext): Promise<RoomView[]> {
    return this.rooms.listMine(ctx.user.id);
  }

  @Get(':id')
  @UseGuards(AuthGuard)
  get(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<RoomView> {
    return this.rooms.get(ctx.user.id, joinIdParam(id));
  }

  @Patch(':id')
  @UseGuards(AuthGuard)
  update(
    @Auth() ctx: AuthContext,
    @Param('id') id: string,
    @Body(new ZodPipe(updateRoomBodySchema)) body: UpdateRoomBody,
  ): Promise<RoomView> {
    return this.rooms.update(ctx.user.id, roomIdParam(id), body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @UseGuards(AuthGuard)
  close(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<RoomView> {
    return this.rooms.close(ctx.user.id, roomIdParam(id));
  }

  /** Host only: a closed room opens again. */
  @Post(':id/reopen')
  @HttpCode(200)
  @UseGuards(AuthGuard)
  reopen(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<RoomView> {
    return this.rooms.reopen(ctx.user.id, roomIdParam(id));
  }

  @Get(':id/bans')
  @UseGuards(AuthGuard)
  bans(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<BanView[]> {
    return this.rooms.listBans(ctx.user.id, roomIdParam(id));
  }

  @Delete(':id/bans/:userId')
  @HttpCode(204)
  @UseGuards(AuthGuard)
  async unban(@Auth() ctx: AuthContext, @Param('id') id: string, @Param('userId') userId: string): Promise<void> {
    if (!z.string().uuid().safeParse(userId).success) throw new NotFoundException('This person is not banned here.');
    await this.rooms.unban(ctx.user.id, roomIdParam(id), userId);
  }

  @Post(':id/join')
  @HttpCode(200)
  @UseGuards(AuthGuard)
  async join(
    @Auth() ctx: AuthContext,
    @Param('id') id: string,
    @Body(new ZodPipe(z.preprocess((v) => v ?? {}, joinRoomBodySchema))) body: { pin?: string },
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RoomView> {
    const client = clientInfoOf(req, this.address.ofRequest(req));
    const view = await this.rooms.join(ctx.user.id, joinIdParam(id), body.pin, client);
    rememberDevice(req, res, client, this.config.cookieSecure);
    return view;
  }

  /** No session needed: the display name (and PIN) is the whole sign-up. Sets the session cookie. */
  @Post(':id/guest')
  @HttpCode(201)
  async guest(
    @Param('id') id: string,
    @Body(new ZodPipe(guestJoinBodySchema)) body: { displayName: string; pin?: string },
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse & { room: RoomView }> {
    const client = clientInfoOf(req, this.address.ofRequest(req));
    const result = await this.rooms.joinAsGuest(joinIdParam(id), body.displayName, body.pin, client);
    res.cookie(SESSION_COOKIE, result.accessToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      path: '/',
      maxAge: this.config.sessionTtlMs,
    });
    rememberDevice(req, res, client, this.config.cookieSecure);
    return result;
  }
}
