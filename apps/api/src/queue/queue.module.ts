import { Module } from '@nestjs/common';
import { ImportProducer } from './import.producer.js';
import { ImportQueue } from './import.queue.js';
import { TranscodeProducer } from './transcode.producer.js';
import { TranscodeQueue } from './transcode.queue.js';
import { LiveProducer } from './live.producer.js';
import { LiveQueue } from './live.queue.js';
import { QueueAdmin } from './queue-admin.js';
import { BullQueueAdmin } from './bull-queue-admin.js';

/**
 * The BullMQ queues behind ports: transcodes (TranscodeQueue: media enqueues, health counts), lives
 * (LiveQueue, issue 8) and imports by link (ImportQueue, issue 13); QueueAdmin (issue 10) for operators:
 * metrics, the admin API and Bull Board.
 */
@Module({
  providers: [
    { provide: TranscodeQueue, useClass: TranscodeProducer },
    { provide: LiveQueue, useClass: LiveProducer },
    { provide: ImportQueue, useClass: ImportProducer },
    BullQueueAdmin,
    { provide: QueueAdmin, useExisting: BullQueueAdmin },
  ],
  exports: [TranscodeQueue, LiveQueue, ImportQueue, QueueAdmin, BullQueueAdmin],
})
export class QueueModule {}
