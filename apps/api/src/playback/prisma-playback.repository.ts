import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';
import { PlaybackRepository, type PlaybackLive, type PlaybackMedia, type PlaybackRoom } from './playback.repository.js';

@Injectable()
export class PrismaPlaybackRepository extends PlaybackRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  room(roomId: string): Promise<PlaybackRoom | null> {
    return this.prisma.client.room.findUnique({
      where: { id: roomId },
      select: { id: true, controlLocked: true, waitForEveryone: true, closedAt: true },
    });
  }

  media(mediaId: string): Promise<PlaybackMedia | null> {
    return this.prisma.client.media.findUnique({
      where: { id: mediaId },
      select: { id: true, roomId: true, originalName: true, status: true, playable: true, durationSec: true },
    });
  }

  live(roomId: string): Promise<PlaybackLive | null> {
    return this.prisma.client.roomLive.findUnique({ where: { roomId }, select: { streamId: true, status: true, mode: true } });
  }
}
