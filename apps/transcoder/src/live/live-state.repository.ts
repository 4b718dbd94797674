import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@reelroom/db';
import type { LiveEndReason, Rendition } from '@reelroom/contracts';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';

/** What a finished live leaves: its replay, a normal ready video. */
export interface ReplayResult {
  durationSec: number;
  width: number | null;
  height: number | null;
  renditions: Rendition[];
  hasPoster: boolean;
  hasStoryboard: boolean;
  sizeBytes: number;
}

/** The live row's transitions as the live handler makes them (faked in its spec). */
export interface LiveStateStore {
  /** The live's current status, or null when the row is gone or now belongs to another live. */
  status(liveId: string): Promise<'idle' | 'starting' | 'live' | 'ended' | null>;
  /** starting -> live: every rung has its first segment. True when this call changed the row. */
  markLive(liveId: string): Promise<boolean>;
  /** When the live started (the API's claim), or null: a resume keeps the same deadline. */
  startedAt(liveId: string): Promise<Date | null>;
  /**
   * starting|live -> ended (the transcode failed, the stream ended without the API noticing, or a bound
   * was reached: `reason`).
   */
  end(liveId: string, reason?: LiveEndReason): Promise<boolean>;
  /** In one transaction: the replay media row (id = liveId, ready) and the live row's replayMediaId. */
  saveReplay(liveId: string, roomId: string, replay: ReplayResult): Promise<boolean>;
}

@Injectable()
export class LiveStateRepository implements LiveStateStore, OnModuleInit, OnApplicationShutdown {
  private readonly prisma: PrismaClient;

  constructor(@Inject(TRANSCODER_CONFIG) config: TranscoderConfig) {
    this.prisma = createPrismaClient(config.databaseUrl, Math.max(2, config.liveConcurrency + 1));
  }

  /** Opens the pool at start-up: a live's first query should not pay for the connection (time to first picture). */
  async onModuleInit() {
    await this.prisma.$connect();
  }

  async status(liveId: string) {
    const row = await this.prisma.roomLive.findUnique({ where: { streamId: liveId }, select: { status: true } });
    return row?.status ?? null;
  }

  async markLive(liveId: string): Promise<boolean> {
    const r = await this.prisma.roomLive.updateMany({ where: { streamId: liveId, status: 'starting' }, data: { status: 'live' } });
    return r.count === 1;
  }

  async startedAt(liveId: string): Promise<Date | null> {
    const row = await this.prisma.roomLive.findUnique({ where: { streamId: liveId }, select: { startedAt: true } });
    return row?.startedAt ?? null;
  }

  async end(liveId: string, reason?: LiveEndReason): Promise<boolean> {
    const r = await this.prisma.roomLive.updateMany({
      where: { streamId: liveId, status: { in: ['starting', 'live'] } },
      data: { status: 'ended', endedAt: new Date(), endReason: reason ?? null },
    });
    return r.count === 1;
  }

  async saveReplay(liveId: string, roomId: string, replay: ReplayResult): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const room = await tx.room.findUnique({ where: { id: roomId }, select: { ownerId: true } });
      if (!room) return false;
      const startedAt =
        (await tx.roomLive.findUnique({ where: { streamId: liveId }, select: { startedAt: true } }))?.startedAt ?? new Date();
      await tx.media.upsert({
        where: { id: liveId },
        create: {
          id: liveId,
          roomId,
          uploaderId: room.ownerId,
          originalName: `Live ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          sizeBytes: BigInt(replay.sizeBytes),
          status: 'ready',
          kind: 'video',
          progress: 100,
          playable: true,
          hasPoster: replay.hasPoster,
          hasStoryboard: replay.hasStoryboard,
          durationSec: replay.durationSec,
          width: replay.width,
          height: replay.height,
          renditions: replay.renditions,
        },
        update: {},
      });
      const r = await tx.roomLive.updateMany({ where: { streamId: liveId }, data: { replayMediaId: liveId } });
      return r.count === 1;
    });
  }

  async onApplicationShutdown() {
    await this.prisma.$disconnect();
  }
}
