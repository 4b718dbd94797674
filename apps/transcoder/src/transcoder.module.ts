import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from './config/config.js';
import { MediaStateRepository } from './media/media-state.repository.js';
import { defaultTranscodeFn, TRANSCODE_FN, TranscodeHandler } from './jobs/transcode.handler.js';
import { JobHandlers } from './jobs/job-handlers.js';
import { MediaWorker } from './jobs/media.worker.js';
import { RunningJobs } from './jobs/running-jobs.js';
import { CancelListener } from './jobs/cancel.listener.js';

@Module({})
export class TranscoderModule {
  static create(config: TranscoderConfig, logger: Logger): DynamicModule {
    return {
      module: TranscoderModule,
      providers: [
        { provide: TRANSCODER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: TRANSCODE_FN, useValue: defaultTranscodeFn },
        MediaStateRepository,
        TranscodeHandler,
        JobHandlers,
        MediaWorker,
        RunningJobs,
        CancelListener,
      ],
    };
  }
}
