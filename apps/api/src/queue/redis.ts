import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis connections for BullMQ. BullMQ needs a client instance in native ESM.
 * - `failFast` (HTTP producers): no offline queue and no retries per request, so add() fails in
 *   milliseconds with a 503 when Redis is down instead of hanging the request
 *   (docs.bullmq.io patterns/failing-fast-when-redis-is-down).
 * - otherwise (QueueEvents, workers): `maxRetriesPerRequest: null`, as BullMQ requires for blocking calls.
 */
export function createRedis(url: string, opts: { failFast?: boolean; name: string }): Redis {
  const options: RedisOptions = opts.failFast
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: opts.name }
    : { maxRetriesPerRequest: null, connectionName: opts.name };
  return new Redis(url, options);
}
