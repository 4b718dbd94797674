import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@reelroom/db';
import type { Rendition } from '@reelroom/contracts';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';

export interface MediaState {
  id: string;
  roomId: string;
  status: 'queued' | 'processing' | 'ready' | 'failed';
}

/**
 * The transcoder's only database access: the media row's state machine
 *   queued -> processing -> ready | failed   (processing -> queued when a crashed attempt is retried)
 * Every transition names the states it may come from, so a late or duplicate job cannot overwrite a
 * finished result.
 */
@Injectable()
export class MediaStateRepository implements OnModuleDestroy {
  private readonly prisma: PrismaClient;

  constructor(@Inject(TRANSCODER_CONFIG) config: TranscoderConfig) {
    this.prisma = createPrismaClient(config.databaseUrl, Math.max(2, config.concurrency + 1));
  }

  find(id: string): Promise<MediaState | null> {
    return this.prisma.media.findUnique({ where: { id }, select: { id: true, roomId: true, status: true } });
  }

  /** true when this call moved the row into processing. */
  async startProcessing(id: string): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: { in: ['queued', 'processing'] } },
      data: { status: 'processing', progress: 0, error: null },
    });
    return r.count === 1;
  }

  async setProgress(id: string, progress: number): Promise<void> {
    await this.prisma.media.updateMany({ where: { id, status: 'processing' }, data: { progress: Math.round(progress) } });
  }

  async markReady(id: string, result: { durationSec: number; width: number; height: number; renditions: Rendition[] }): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: 'processing' },
      data: { status: 'ready', progress: 100, error: null, ...result },
    });
    return r.count === 1;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.media.updateMany({ where: { id, status: { in: ['queued', 'processing'] } }, data: { status: 'failed', error } });
  }

  /** A crashed attempt that will be retried goes back to queued, so the room does not show a stuck bar. */
  async requeue(id: string): Promise<void> {
    await this.prisma.media.updateMany({ where: { id, status: 'processing' }, data: { status: 'queued', progress: 0 } });
  }

  async onModuleDestroy() {
    await this.prisma.$disconnect();
  }
}
