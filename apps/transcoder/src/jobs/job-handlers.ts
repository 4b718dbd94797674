import { Injectable } from '@nestjs/common';
import { JobName, type JobPayload } from '@reelroom/contracts';
import type { JobContext } from './job-context.js';
import { TranscodeHandler } from './transcode.handler.js';

export type JobHandlerMap = { [K in JobName]: (data: JobPayload<K>, ctx: JobContext) => Promise<void> };

/** Exhaustive: adding a job name to contracts without a handler here does not compile. */
@Injectable()
export class JobHandlers {
  readonly map: JobHandlerMap;

  constructor(transcode: TranscodeHandler) {
    this.map = {
      [JobName.Transcode]: (data, ctx) => transcode.handle(data, ctx),
    };
  }
}
