import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import {
  mediaIdSchema,
  SUBTITLE_MAX_BYTES,
  subtitleIdSchema,
  subtitleSuggestionBodySchema,
  subtitleUploadFieldsSchema,
  type SubtitleSuggestionBody,
  type SubtitleUploadFields,
  type SubtitlesView,
  type SubtitleView,
} from '@reelroom/contracts';
import { Auth, AuthGuard } from '../auth/auth.guard.js';
import type { AuthContext } from '../auth/auth.types.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { NO_SUCH_SUBTITLE, SubtitlesService } from './subtitles.service.js';

const mediaIdParam = (id: string) => {
  if (!mediaIdSchema.safeParse(id).success) throw new NotFoundException('This media does not exist.');
  return id;
};
const subtitleIdParam = (id: string) => {
  if (!subtitleIdSchema.safeParse(id).success) throw new NotFoundException(NO_SUCH_SUBTITLE);
  return id;
};

/** Subtitle tracks of a media: /api/media/:mediaId/subtitles (issue 12). */
@Controller('api/media/:mediaId/subtitles')
@UseGuards(AuthGuard)
export class SubtitlesController {
  constructor(private readonly subtitles: SubtitlesService) {}

  @Get()
  list(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string): Promise<SubtitlesView> {
    return this.subtitles.list(ctx.user.id, mediaIdParam(mediaId));
  }

  /**
   * Multipart: `file` (SRT or WebVTT, at most SUBTITLE_MAX_BYTES, held in memory: it is small and is
   * parsed whole anyway), `label`, `language`. multer stops reading past the limit (413).
   */
  @Post()
  @HttpCode(201)
  @UseInterceptors(
    FileInterceptor('file', {
      storage: memoryStorage(),
      limits: { fileSize: SUBTITLE_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 6 },
      defParamCharset: 'utf8',
    }),
  )
  upload(
    @Auth() ctx: AuthContext,
    @Param('mediaId') mediaId: string,
    @Body(new ZodPipe(subtitleUploadFieldsSchema)) fields: SubtitleUploadFields,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<SubtitleView> {
    return this.subtitles.upload(ctx.user.id, mediaIdParam(mediaId), fields, file?.buffer);
  }

  @Delete(':subtitleId')
  @HttpCode(204)
  async remove(@Auth() ctx: AuthContext, @Param('mediaId') mediaId: string, @Param('subtitleId') subtitleId: string): Promise<void> {
    await this.subtitles.remove(ctx.user.id, mediaIdParam(mediaId), subtitleIdParam(subtitleId));
  }

  /** The track the room suggests to everyone (host and moderators); `{subtitleId: null}` suggests none. */
  @Put('suggestion')
  suggest(
    @Auth() ctx: AuthContext,
    @Param('mediaId') mediaId: string,
    @Body(new ZodPipe(subtitleSuggestionBodySchema)) body: SubtitleSuggestionBody,
  ): Promise<SubtitlesView> {
    return this.subtitles.suggest(ctx.user.id, mediaIdParam(mediaId), body.subtitleId);
  }
}
