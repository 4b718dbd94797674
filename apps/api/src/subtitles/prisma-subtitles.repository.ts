import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { SubtitlesRepository, type NewUploadedSubtitle, type SubtitleRecord } from './subtitles.repository.js';

const COLUMNS = {
  id: true,
  mediaId: true,
  label: true,
  language: true,
  origin: true,
  cueCount: true,
  endSec: true,
  createdAt: true,
} as const;

@Injectable()
export class PrismaSubtitlesRepository extends SubtitlesRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  listByMedia(mediaId: string): Promise<SubtitleRecord[]> {
    return this.prisma.client.subtitle.findMany({ where: { mediaId }, select: COLUMNS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  findById(id: string): Promise<SubtitleRecord | null> {
    return this.prisma.client.subtitle.findUnique({ where: { id }, select: COLUMNS });
  }

  createUpload(data: NewUploadedSubtitle, maxTracks: number): Promise<SubtitleRecord | null> {
    return this.prisma.client.$transaction(async (tx) => {
      // The media row's lock serialises uploads to one media: count, then insert, with nobody in between.
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Media" WHERE id = ${data.mediaId}::uuid FOR UPDATE`;
      if (locked.length === 0) return null;
      if ((await tx.subtitle.count({ where: { mediaId: data.mediaId } })) >= maxTracks) return null;
      return tx.subtitle.create({ data: { ...data, origin: 'upload' }, select: COLUMNS });
    });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.prisma.client.subtitle.deleteMany({ where: { id } })).count === 1;
  }

  async suggestion(roomId: string, mediaId: string): Promise<string | null> {
    const row = await this.prisma.client.subtitleSuggestion.findUnique({ where: { roomId_mediaId: { roomId, mediaId } } });
    return row?.subtitleId ?? null;
  }

  async setSuggestion(roomId: string, mediaId: string, subtitleId: string | null): Promise<void> {
    if (subtitleId === null) {
      await this.prisma.client.subtitleSuggestion.deleteMany({ where: { roomId, mediaId } });
      return;
    }
    await this.prisma.client.subtitleSuggestion.upsert({
      where: { roomId_mediaId: { roomId, mediaId } },
      create: { roomId, mediaId, subtitleId },
      update: { subtitleId },
    });
  }
}
