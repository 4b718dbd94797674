import { Injectable } from '@nestjs/common';
import type { RoomRole } from '@reelroom/contracts';
import { PrismaService } from '../prisma/prisma.service.js';

export interface PlaybackRoom {
  id: string;
  controlLocked: boolean;
  waitForEveryone: boolean;
  closedAt: Date | null;
}

export interface PlaybackMedia {
  id: string;
  roomId: string;
  originalName: string;
  status: string;
  playable: boolean;
  durationSec: number | null;
}

/** The few database reads playback needs (room options, the caller's role, media readiness). */
@Injectable()
export class PlaybackRepository {
  constructor(private readonly prisma: PrismaService) {}

  room(roomId: string): Promise<PlaybackRoom | null> {
    return this.prisma.client.room.findUnique({
      where: { id: roomId },
      select: { id: true, controlLocked: true, waitForEveryone: true, closedAt: true },
    });
  }

  async roleOf(roomId: string, userId: string): Promise<RoomRole | null> {
    const m = await this.prisma.client.roomMember.findUnique({
      where: { roomId_userId: { roomId, userId } },
      select: { role: true, bannedAt: true },
    });
    return m && !m.bannedAt ? m.role : null;
  }

  media(mediaId: string): Promise<PlaybackMedia | null> {
    return this.prisma.client.media.findUnique({
      where: { id: mediaId },
      select: { id: true, roomId: true, originalName: true, status: true, playable: true, durationSec: true },
    });
  }
}
