import type { TranscodeJob } from '@reelroom/contracts';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  workers: number;
}

/**
 * How the API reaches the transcoders (TranscodeProducer, over BullMQ). MediaService and the health check
 * depend on this port, so their unit specs pass an in-memory queue.
 */
export abstract class TranscodeQueue {
  abstract enqueue(job: TranscodeJob): Promise<void>;
  /** Queues the media again after a failure (the failed job is replaced). */
  abstract requeue(job: TranscodeJob): Promise<void>;
  /** Removes a job that is not running. Returns false if it is running (ask for a cancel instead). */
  abstract remove(mediaId: string): Promise<boolean>;
  /** Asks whichever worker runs this media's job to stop it now. */
  abstract requestCancel(mediaId: string): Promise<void>;
  /** mediaId -> 1-based position among waiting jobs (1 = next to start). */
  abstract waitingPositions(): Promise<Map<string, number>>;
  abstract counts(): Promise<QueueCounts>;
  /** Resolves when the queue's Redis answers. */
  abstract ping(): Promise<void>;
}
