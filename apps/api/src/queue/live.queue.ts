import type { LiveJob } from '@reelroom/contracts';

/** How the API starts a live transcode (LiveProducer, over BullMQ's live queue); faked in LiveService specs. */
export abstract class LiveQueue {
  abstract enqueue(job: LiveJob): Promise<void>;
}
