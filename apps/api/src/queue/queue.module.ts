import { Module } from '@nestjs/common';
import { ImportProducer } from './import.producer.js';
import { ImportQueue } from './import.queue.js';
import { TranscodeProducer } from './transcode.producer.js';
import { TranscodeQueue } from './transcode.queue.js';

/**
 * The BullMQ queues behind ports: transcodes (TranscodeQueue: media enqueues, health counts) and imports
 * by link (ImportQueue, issue 13).
 */
@Module({
  providers: [
    { provide: TranscodeQueue, useClass: TranscodeProducer },
    { provide: ImportQueue, useClass: ImportProducer },
  ],
  exports: [TranscodeQueue, ImportQueue],
})
export class QueueModule {}
