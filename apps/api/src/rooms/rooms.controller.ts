import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { createRoomBodySchema, roomIdSchema, type RoomView } from '@reelroom/contracts';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { RoomsService } from './rooms.service.js';

const roomIdParam = (id: string) => {
  if (!roomIdSchema.safeParse(id).success) throw new NotFoundException('This room does not exist.');
  return id;
};

@Controller('api/rooms')
@UseGuards(AuthGuard)
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post()
  @HttpCode(201)
  create(@Auth() ctx: AuthContext, @Body(new ZodPipe(createRoomBodySchema)) body: { name: string }): Promise<RoomView> {
    return this.rooms.create(ctx.user.id, body.name);
  }

  @Get()
  list(@Auth() ctx: AuthContext): Promise<RoomView[]> {
    return this.rooms.listMine(ctx.user.id);
  }

  @Get(':id')
  get(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<RoomView> {
    return this.rooms.get(ctx.user.id, roomIdParam(id));
  }

  @Post(':id/join')
  @HttpCode(200)
  join(@Auth() ctx: AuthContext, @Param('id') id: string): Promise<RoomView> {
    return this.rooms.join(ctx.user.id, roomIdParam(id));
  }
}
