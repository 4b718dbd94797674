import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import type { DeathRecord } from './worker-deaths.js';

/** Where a job's deaths are remembered between its starts (worker-deaths.ts). */
export interface DeathRecords {
  get(queue: string, jobId: string): Promise<DeathRecord | undefined>;
  put(queue: string, jobId: string, record: DeathRecord): Promise<void>;
  /** The stall counter of the last run of the job that started its work (ops/work-mark.ts), if any did. */
  workMark(queue: string, jobId: string): Promise<number | undefined>;
  markWork(queue: string, jobId: string, stalls: number): Promise<void>;
}

const deathRecordSchema = z.object({
  stalls: z.number().int().min(0),
  point: z.number().nullable(),
  inARow: z.number().int().min(0),
}) satisfies z.ZodType<DeathRecord>;

/** As long as BullMQ keeps a failed job (JOB_POLICIES' removeOnFail): the record never outlives its use. */
const RECORD_TTL_SEC = 7 * 24 * 3600;

/**
 * One small JSON value per job that has died at least once, `<prefix>:<queue>:<jobId>:deaths`, and the
 * counter of the last run that started its work, `<prefix>:<queue>:<jobId>:work-started`, beside BullMQ's
 * own keys for the job, with a TTL since BullMQ does not know to remove them. Written only by the worker
 * holding the job's lock (at the start of a run, and as its first ffmpeg starts), one writer at a time.
 */
@Injectable()
export class DeathLedger implements DeathRecords {
  private redis?: Redis;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    private readonly connections: RedisConnections,
  ) {}

  async get(queue: string, jobId: string): Promise<DeathRecord | undefined> {
    const raw = await this.client().get(this.key(queue, jobId));
    if (raw === null) return undefined;
    // Unreadable (a format from another version): as if the job had not died yet.
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const parsed = deathRecordSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }

  async put(queue: string, jobId: string, record: DeathRecord): Promise<void> {
    await this.client().set(this.key(queue, jobId), JSON.stringify(record), 'EX', RECORD_TTL_SEC);
  }

  async workMark(queue: string, jobId: string): Promise<number | undefined> {
    const raw = await this.client().get(this.key(queue, jobId, 'work-started'));
    return raw !== null && /^\d+$/.test(raw) ? Number(raw) : undefined;
  }

  /** One SET per run that reaches ffmpeg; the only write for a job that never dies. */
  async markWork(queue: string, jobId: string, stalls: number): Promise<void> {
    await this.client().set(this.key(queue, jobId, 'work-started'), String(stalls), 'EX', RECORD_TTL_SEC);
  }

  private key(queue: string, jobId: string, what: 'deaths' | 'work-started' = 'deaths'): string {
    return `${this.config.queuePrefix}:${queue}:${jobId}:${what}`;
  }

  /** Opened on first use: a process that has run no ffmpeg and seen no death needs no connection for it. */
  private client(): Redis {
    this.redis ??= this.connections.open('death-ledger', 'command');
    return this.redis;
  }
}
