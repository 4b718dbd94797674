import { Module } from '@nestjs/common';
import { TranscodeProducer } from './transcode.producer.js';
import { TranscodeQueue } from './transcode.queue.js';

/** The transcode queue (BullMQ), behind the TranscodeQueue port: media enqueues, health counts. */
@Module({
  providers: [{ provide: TranscodeQueue, useClass: TranscodeProducer }],
  exports: [TranscodeQueue],
})
export class QueueModule {}
