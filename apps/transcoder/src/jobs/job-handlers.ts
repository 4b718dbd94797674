import { Injectable } from '@nestjs/common';
import { JobName, type JobPayload } from '@reelroom/contracts';
import type { JobContext } from './job-context.js';
import { LiveHandler } from '../live/live.handler.js';
import { TranscodeHandler } from './transcode.handler.js';

export type JobHandler<K extends JobName> = (data: JobPayload<K>, ctx: JobContext) => Promise<void>;
export type JobHandlerMap = { [K in JobName]: JobHandler<K> };

/**
 * Exhaustive: adding a job name to contracts without a handler here does not compile. Attempts, backoff
 * and the try budget per job name live in contracts' JOB_POLICIES, next to the names.
 */
@Injectable()
export class JobHandlers {
  readonly map: JobHandlerMap;

  constructor(transcode: TranscodeHandler, live: LiveHandler) {
    this.map = {
      [JobName.Transcode]: (data, ctx) => transcode.handle(data, ctx),
      [JobName.Live]: (data, ctx) => live.handle(data, ctx),
    };
  }
}
