import { describe, expect, it } from 'vitest';
import { redisConnectionOptions, retryDelayMs } from './connection.js';

describe('redisConnectionOptions', () => {
  it('names the connection after the app and its job', () => {
    expect(redisConnectionOptions({ app: 'api', name: 'presence', role: 'command' }).connectionName).toBe('reelroom-api-presence');
  });

  it('lets blocking and subscriber connections wait forever, as BullMQ requires', () => {
    for (const role of ['blocking', 'subscriber'] as const) {
      expect(redisConnectionOptions({ app: 'transcoder', name: 'w', role }).maxRetriesPerRequest).toBeNull();
    }
  });

  it('makes request paths fail fast: no offline queue, one retry', () => {
    const o = redisConnectionOptions({ app: 'api', name: 'producer', role: 'fail-fast' });
    expect(o.enableOfflineQueue).toBe(false);
    expect(o.maxRetriesPerRequest).toBe(1);
  });

  it('bounds command retries so a request never hangs on a dead Redis', () => {
    expect(redisConnectionOptions({ app: 'api', name: 'limits', role: 'command' }).maxRetriesPerRequest).toBe(2);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially from 100 ms and caps at 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(retryDelayMs)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });
});
