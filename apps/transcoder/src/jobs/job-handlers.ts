import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { JobName, jobSchemas, type JobPayload } from '@reelroom/contracts';
import type { JobContext } from './job-context.js';
import { LiveHandler } from '../live/live.handler.js';
import { ImportHandler } from './import.handler.js';
import { TranscodeHandler } from './transcode.handler.js';
import { TranscodeChunkHandler } from './transcode-chunk.handler.js';

export type JobHandler<K extends JobName> = (data: JobPayload<K>, ctx: JobContext) => Promise<void>;
export type JobHandlerMap = { [K in JobName]: JobHandler<K> };

/** A payload checked against its schema and bound to its handler, or why it was refused. */
export type PreparedJob = { ok: true; run: (ctx: JobContext) => Promise<void> } | { ok: false; error: string };

function bind<T>(schema: z.ZodType<T>, handler: (data: T, ctx: JobContext) => Promise<void>): (raw: unknown) => PreparedJob {
  return (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: parsed.error.message };
    return { ok: true, run: (ctx) => handler(parsed.data, ctx) };
  };
}

/**
 * Exhaustive: adding a job name to contracts without a handler here does not compile. Attempts, backoff
 * and the try budget per job name live in contracts' JOB_POLICIES, next to the names.
 */
@Injectable()
export class JobHandlers {
  readonly map: JobHandlerMap;
  private readonly prepared: { [K in JobName]: (raw: unknown) => PreparedJob };

  constructor(transcode: TranscodeHandler, live: LiveHandler, imports: ImportHandler, chunks: TranscodeChunkHandler) {
    this.map = {
      [JobName.Transcode]: (data, ctx) => transcode.handle(data, ctx),
      [JobName.Live]: (data, ctx) => live.handle(data, ctx),
      [JobName.Import]: (data, ctx) => imports.handle(data, ctx),
      [JobName.TranscodeChunk]: (data, ctx) => chunks.handle(data, ctx),
      // The audio slot's queue: the same part handler (its payload is a chunk job whose part is `audio`).
      [JobName.TranscodeAudioPart]: (data, ctx) => chunks.handle(data, ctx),
    };
    this.prepared = {
      [JobName.Transcode]: bind(jobSchemas[JobName.Transcode], this.map[JobName.Transcode]),
      [JobName.Live]: bind(jobSchemas[JobName.Live], this.map[JobName.Live]),
      [JobName.Import]: bind(jobSchemas[JobName.Import], this.map[JobName.Import]),
      [JobName.TranscodeChunk]: bind(jobSchemas[JobName.TranscodeChunk], this.map[JobName.TranscodeChunk]),
      [JobName.TranscodeAudioPart]: bind(jobSchemas[JobName.TranscodeAudioPart], this.map[JobName.TranscodeAudioPart]),
    };
  }

  /** Validates a payload against its name's contracts schema and binds it to the handler. */
  prepare(name: JobName, raw: unknown): PreparedJob {
    return this.prepared[name](raw);
  }
}
