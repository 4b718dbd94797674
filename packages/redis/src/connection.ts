import { Redis, type RedisOptions } from 'ioredis';

/**
 * What a connection is for; it decides the options (PeerTube's getRedisClientOptions(name) is the model):
 * - `command`: short commands from long-lived services (presence, playback, limits). A command waits at
 *   most two reconnection attempts, then fails, so a request never hangs on a dead Redis.
 * - `fail-fast`: HTTP request paths (queue producers, the upload locker): no offline queue, one retry,
 *   so Redis being down answers 503 in milliseconds
 *   (docs.bullmq.io/patterns/failing-fast-when-redis-is-down).
 * - `blocking`: BullMQ workers and QueueEvents, which block on Redis: BullMQ requires
 *   `maxRetriesPerRequest: null`.
 * - `subscriber`: pub/sub listeners and the socket.io streams adapter (XREAD): same as blocking, they
 *   must outlive any Redis restart.
 */
export type RedisRole = 'command' | 'fail-fast' | 'blocking' | 'subscriber';

export interface RedisConnectionSpec {
  /** The process kind, shown in `CLIENT LIST` as the first part of the name. */
  app: 'api' | 'transcoder' | 'bench' | 'test';
  /** What this connection does, e.g. `presence`, `socketio-adapter`, `transcode-worker`. */
  name: string;
  role: RedisRole;
}

/** Reconnect after 100 ms, doubling up to 2 s, forever: Redis restarts are survived by every process. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2_000, 100 * 2 ** Math.max(0, attempt - 1));
}

export function redisConnectionOptions(spec: RedisConnectionSpec): RedisOptions {
  const base: RedisOptions = {
    connectionName: `reelroom-${spec.app}-${spec.name}`,
    retryStrategy: retryDelayMs,
    // Keep the TCP connection alive through idle NATs and notice a dead peer.
    keepAlive: 30_000,
  };
  switch (spec.role) {
    case 'command':
      return { ...base, maxRetriesPerRequest: 2 };
    case 'fail-fast':
      return { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
    case 'blocking':
    case 'subscriber':
      return { ...base, maxRetriesPerRequest: null };
  }
}

/**
 * The one way the apps open Redis. `onError` receives connection errors: ioredis emits `error` on every
 * failed reconnect, and an `error` event without a listener would crash the process.
 */
export function createRedisConnection(url: string, spec: RedisConnectionSpec, onError: (err: Error, name: string) => void): Redis {
  const redis = new Redis(url, redisConnectionOptions(spec));
  redis.on('error', (err: Error) => onError(err, spec.name));
  return redis;
}

/**
 * PING for readiness probes. A fail-fast connection refuses commands until it is ready (no offline queue),
 * so one that is still connecting, or reconnecting after a blip, is waited for up to `timeoutMs` first:
 * a probe then reports Redis as it is, not the connection's momentary state.
 */
export async function pingWhenReady(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => done();
      const timer = setTimeout(() => done(new Error(`Redis not reachable within ${timeoutMs} ms (connection ${redis.status})`)), timeoutMs);
      redis.on('ready', onReady);
      if (redis.status === 'wait') redis.connect().catch(() => undefined);
    });
  }
  await redis.ping();
}
