import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@reelroom/db';
import type { MediaKind, Rendition } from '@reelroom/contracts';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import type { EmbeddedSubtitle } from '../pipeline/subtitles.step.js';

export interface MediaState {
  id: string;
  roomId: string;
  status: 'importing' | 'queued' | 'processing' | 'ready' | 'failed';
}

export interface ImportState extends MediaState {
  sourceUrl: string | null;
}

/** The import worker's part of the state machine: importing -> queued (file fetched) | failed. */
export interface ImportStateStore {
  findImport(id: string): Promise<ImportState | null>;
  /** A new try starts from nothing: progress and bytes back to 0. false when the row is no longer importing. */
  restartImport(id: string): Promise<boolean>;
  setImportProgress(id: string, p: { percent: number; bytes: number; totalBytes: number | null }): Promise<void>;
  /** importing -> queued, the reservation replaced by the real size. false when it was cancelled or deleted meanwhile. */
  finishImport(id: string, bytes: number): Promise<boolean>;
  /** importing -> failed with the sentence; the quota reservation is released (nothing was kept). */
  failImport(id: string, error: string): Promise<void>;
}

export interface MediaResult {
  kind: MediaKind;
  durationSec: number;
  width: number | null;
  height: number | null;
  renditions: Rendition[];
  hasPoster: boolean;
  hasStoryboard: boolean;
}

/** The media row's state machine as the transcode handler uses it (faked in its spec). */
export interface MediaStateStore {
  find(id: string): Promise<MediaState | null>;
  startProcessing(id: string): Promise<boolean>;
  setProgress(id: string, progress: number, etaSec?: number | null): Promise<void>;
  markPlayable(id: string, durationSec: number): Promise<boolean>;
  setArtwork(id: string, artwork: { hasPoster?: boolean; hasStoryboard?: boolean }): Promise<boolean>;
  markReady(id: string, result: MediaResult): Promise<boolean>;
  markFailed(id: string, error: string): Promise<void>;
  requeue(id: string): Promise<void>;
}

/**
 * The transcoder's only database access: the media row's state machine
 *   queued -> processing -> ready | failed   (processing -> queued when a crashed attempt is retried)
 * Every transition names the states it may come from, so a late or duplicate job cannot overwrite a
 * finished result.
 */
/** Where the transcoder records the subtitle tracks it extracted (faked in specs). */
export interface EmbeddedSubtitleRows {
  replaceEmbeddedSubtitles(mediaId: string, tracks: readonly EmbeddedSubtitle[]): Promise<boolean>;
}

@Injectable()
export class MediaStateRepository implements MediaStateStore, ImportStateStore, EmbeddedSubtitleRows, OnApplicationShutdown {
  private readonly prisma: PrismaClient;

  constructor(@Inject(TRANSCODER_CONFIG) config: TranscoderConfig) {
    this.prisma = createPrismaClient(config.databaseUrl, Math.max(2, config.concurrency + config.import.concurrency + 1));
  }

  /** Resolves when PostgreSQL answers (the readiness probe). */
  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  find(id: string): Promise<MediaState | null> {
    return this.prisma.media.findUnique({ where: { id }, select: { id: true, roomId: true, status: true } });
  }

  /** true when this call moved the row into processing. */
  async startProcessing(id: string): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: { in: ['queued', 'processing'] } },
      // Each attempt starts from an empty output directory: nothing is playable or drawn yet.
      data: {
        status: 'processing',
        progress: 0,
        error: null,
        etaSec: null,
        playable: false,
        hasPoster: false,
        hasStoryboard: false,
        processingStartedAt: new Date(),
      },
    });
    return r.count === 1;
  }

  async setProgress(id: string, progress: number, etaSec: number | null = null): Promise<void> {
    await this.prisma.media.updateMany({ where: { id, status: 'processing' }, data: { progress: Math.round(progress), etaSec } });
  }

  /**
   * The master playlist exists and every rung has a segment: playable while encoding. The probed duration
   * comes with it, so players and the room know the whole length from the start. true when this call
   * changed the row.
   */
  async markPlayable(id: string, durationSec: number): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: 'processing', playable: false },
      data: { playable: true, durationSec },
    });
    return r.count === 1;
  }

  /** Poster / storyboard written (during processing). true when this call changed the row. */
  async setArtwork(id: string, artwork: { hasPoster?: boolean; hasStoryboard?: boolean }): Promise<boolean> {
    const r = await this.prisma.media.updateMany({ where: { id, status: 'processing' }, data: artwork });
    return r.count === 1;
  }

  async markReady(id: string, result: MediaResult): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: 'processing' },
      data: { status: 'ready', progress: 100, error: null, etaSec: null, playable: true, ...result },
    });
    return r.count === 1;
  }

  async markFailed(id: string, error: string): Promise<void> {
    // The failed attempt removed its output: no poster or storyboard to link to.
    await this.prisma.media.updateMany({
      where: { id, status: { in: ['queued', 'processing'] } },
      data: { status: 'failed', error, etaSec: null, playable: false, hasPoster: false, hasStoryboard: false },
    });
  }

  /** A crashed attempt that will be retried goes back to queued, so the room does not show a stuck bar. */
  async requeue(id: string): Promise<void> {
    await this.prisma.media.updateMany({
      where: { id, status: 'processing' },
      data: { status: 'queued', progress: 0, etaSec: null, playable: false, hasPoster: false, hasStoryboard: false },
    });
  }

  findImport(id: string): Promise<ImportState | null> {
    return this.prisma.media.findUnique({ where: { id }, select: { id: true, roomId: true, status: true, sourceUrl: true } });
  }

  async restartImport(id: string): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: 'importing' },
      data: { progress: 0, importedBytes: 0n, importTotalBytes: null, error: null },
    });
    return r.count === 1;
  }

  async setImportProgress(id: string, p: { percent: number; bytes: number; totalBytes: number | null }): Promise<void> {
    await this.prisma.media.updateMany({
      where: { id, status: 'importing' },
      data: {
        progress: Math.round(p.percent),
        importedBytes: BigInt(p.bytes),
        importTotalBytes: p.totalBytes === null ? null : BigInt(p.totalBytes),
      },
    });
  }

  async finishImport(id: string, bytes: number): Promise<boolean> {
    const r = await this.prisma.media.updateMany({
      where: { id, status: 'importing' },
      data: { status: 'queued', sizeBytes: BigInt(bytes), progress: 0, importedBytes: null, importTotalBytes: null, error: null },
    });
    return r.count === 1;
  }

  async failImport(id: string, error: string): Promise<void> {
    await this.prisma.media.updateMany({
      where: { id, status: 'importing' },
      data: { status: 'failed', error, sizeBytes: 0n, importedBytes: null, importTotalBytes: null, etaSec: null },
    });
  }

  /**
   * The embedded subtitle tracks of a transcode (issue 12), replacing those of an earlier attempt (ids
   * are derived from the stream, so a retry keeps them); uploaded tracks are left alone. Only while the
   * media is processing: a media deleted meanwhile gets no rows. true when written.
   */
  async replaceEmbeddedSubtitles(mediaId: string, tracks: readonly EmbeddedSubtitle[]): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<
        Array<{ id: string }>
      >`SELECT id FROM "Media" WHERE id = ${mediaId}::uuid AND status = 'processing' FOR UPDATE`;
      if (locked.length === 0) return false;
      await tx.subtitle.deleteMany({ where: { mediaId, origin: 'embedded', id: { notIn: tracks.map((t) => t.id) } } });
      for (const t of tracks) {
        const data = { label: t.label, language: t.language, cueCount: t.cueCount, endSec: t.endSec, streamIndex: t.streamIndex };
        await tx.subtitle.upsert({ where: { id: t.id }, create: { id: t.id, mediaId, origin: 'embedded', ...data }, update: data });
      }
      return true;
    });
  }

  /** The last shutdown phase: the worker has drained its jobs (onModuleDestroy), so no write is cut off. */
  async onApplicationShutdown() {
    await this.prisma.$disconnect();
  }
}
