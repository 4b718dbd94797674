import { Module } from '@nestjs/common';
import { TranscodeProducer } from './transcode.producer.js';
import { TranscodeQueue } from './transcode.queue.js';
import { LiveProducer } from './live.producer.js';
import { LiveQueue } from './live.queue.js';

/** The transcode and live queues (BullMQ), behind the TranscodeQueue and LiveQueue ports. */
@Module({
  providers: [
    { provide: TranscodeQueue, useClass: TranscodeProducer },
    { provide: LiveQueue, useClass: LiveProducer },
  ],
  exports: [TranscodeQueue, LiveQueue],
})
export class QueueModule {}
