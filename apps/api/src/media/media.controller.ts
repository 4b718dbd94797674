import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { importRequestSchema, mediaIdSchema, type ImportOptions, type ImportRequest, type MediaView } from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { RoomMemberGuard } from '../rooms/room-member.guard.js';
import { MediaImportService } from './media-import.service.js';
import { MediaService, type UploadedFile as StoredUpload } from './media.service.js';
import { MultipartReservationInterceptor, type ReservedRequest } from './multipart-reservation.interceptor.js';

const mediaIdParam = (id: string) => {
  if (!mediaIdSchema.safeParse(id).success) throw new NotFoundException('This media does not exist.');
  return id;
};

@Controller('api')
@UseGuards(AuthGuard)
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly imports: MediaImportService,
  ) {}

  /**
   * Plain multipart upload (field `file`): the curl-friendly path. Guards (member of an open room) and the
   * quota reservation of the declared length run before multer reads the body.
   */
  @Post('rooms/:id/media')
  @HttpCode(202)
  @UseGuards(RoomMemberGuard)
  @UseInterceptors(MultipartReservationInterceptor, FileInterceptor('file'))
  upload(
    @Auth() ctx: AuthContext,
    @Param('id') roomId: string,
    @UploadedFile() file: StoredUpload | undefined,
    @Req() req: ReservedRequest,
  ): Promise<MediaView> {
    return this.media.upload(ctx.user.id, roomId, file, req.uploadReservationId!);
  }

  /**
   * Add a video by link (issue 13): 202 with the `importing` media row; a refused link is a 400/422 with
   * a sentence before anything is queued. Members who may take part, not guests (RoomMemberGuard).
   */
  @Post('rooms/:id/media/import')
  @HttpCode(202)
  @UseGuards(RoomMemberGuard)
  importLink(
    @Auth() ctx: AuthContext,
    @Param('id') roomId: string,
    @Body(new ZodPipe(importRequestSchema)) body: ImportRequest,
  ): Promise<MediaView> {
    return this.imports.importLink(ctx.user.id, roomId, body.url);
  }

  /** What the "Add by link" form says works here. */
  @Get('media/import/options')
  importOptions(): ImportOptions {
    return this.imports.options();
  }

  @Get('rooms/:id/media')
  @UseGuards(RoomMemberGuard)
  list(@Param('id') roomId: string): Promise<MediaView[]> {
    return this.media.listForRoom(roomId);
  }

  @Get('media/:mediaId')
  get(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string): Promise<MediaView> {
    return this.media.get(ctx.user.id, mediaIdParam(mediaId));
  }

  @Post('media/:mediaId/retry')
  @HttpCode(202)
  retry(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string): Promise<MediaView> {
    return this.media.retry(ctx.user.id, mediaIdParam(mediaId));
  }

  @Post('media/:mediaId/cancel')
  @HttpCode(200)
  cancel(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string): Promise<MediaView> {
    return this.media.cancel(ctx.user.id, mediaIdParam(mediaId), ctx.user.displayName);
  }

  @Delete('media/:mediaId')
  @HttpCode(204)
  async remove(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string): Promise<void> {
    await this.media.remove(ctx.user.id, mediaIdParam(mediaId));
  }
}
