import { Module } from '@nestjs/common';
import { ImportProducer } from './import.producer.js';
import { ImportQueue } from './import.queue.js';
import { TranscodeProducer } from './transcode.producer.js';
import { TranscodeQueue } from './transcode.queue.js';
import { LiveProducer } from './live.producer.js';
import { LiveQueue } from './live.queue.js';

/**
 * The BullMQ queues behind ports: transcodes (TranscodeQueue: media enqueues, health counts), lives
 * (LiveQueue, issue 8) and imports by link (ImportQueue, issue 13).
 */
@Module({
  providers: [
    { provide: TranscodeQueue, useClass: TranscodeProducer },
    { provide: LiveQueue, useClass: LiveProducer },
    { provide: ImportQueue, useClass: ImportProducer },
  ],
  exports: [TranscodeQueue, LiveQueue, ImportQueue],
})
export class QueueModule {}
