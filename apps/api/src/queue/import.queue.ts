import type { ImportJob } from '@reelroom/contracts';

/**
 * How the API hands a link to the import workers (ImportProducer, over BullMQ's import queue). A port so
 * MediaImportService and MediaService unit-test with an in-memory queue. Cancelling a running import
 * goes through TranscodeQueue.requestCancel: one channel stops whichever job a media has running.
 */
export abstract class ImportQueue {
  /**
   * false when a try of this media's import is still running (a cancelled one that has not stopped yet):
   * BullMQ would ignore a job with the same id, so nothing was queued.
   */
  abstract enqueue(job: ImportJob): Promise<boolean>;
  /** Removes an import that is not running. Returns false if it is running (ask for a cancel instead). */
  abstract remove(mediaId: string): Promise<boolean>;
}
