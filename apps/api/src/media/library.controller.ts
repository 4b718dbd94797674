import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { addFromLibrarySchema, type AddFromLibrary, type LibraryView, type MediaView } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { LibraryService } from './library.service.js';

@Controller('api')
@UseGuards(AuthGuard)
export class LibraryController {
  constructor(private readonly library: LibraryService) {}

  /** My videos across all my rooms, one entry per stored video (issue 12). */
  @Get('library')
  list(@Auth() ctx: AuthContext): Promise<LibraryView> {
    return this.library.list(ctx.user.id);
  }

  /** Adds one of my ready videos to this room: 201 with the room's new, ready media item. */
  @Post('rooms/:id/media/from-library')
  @HttpCode(201)
  @UseGuards(RoomMemberGuard)
  add(
    @Auth() ctx: AuthContext,
    @Param('id') roomId: string,
    @Body(new ZodPipe(addFromLibrarySchema)) body: AddFromLibrary,
  ): Promise<MediaView> {
    return this.library.add(ctx.user.id, roomId, body.mediaId);
  }
}
