import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MEDIA_QUEUE, type LIVE_QUEUE } from '@reelroom/contracts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The stack's media queue as BullMQ itself reports it (job state, attempts), read from outside the
 * processes under test. Close it after the file.
 */
export function openMediaQueue(
  queuePrefix: string,
  name: typeof MEDIA_QUEUE | typeof LIVE_QUEUE = MEDIA_QUEUE,
): { queue: Queue; close(): Promise<void> } {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: queuePrefix });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}
