import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { RedisConnections } from './redis-connections.js';

// Port 1: nothing listens, so nothing here needs a Redis; the connections only have to be made and closed.
type LogLine = { msg: string; connection?: string };
const make = (lines: LogLine[] = []) =>
  new RedisConnections(
    loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }),
    pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l) as LogLine) }),
  );

describe(RedisConnections.name, () => {
  it('opens named connections with the options of their role, through @reelroom/redis', () => {
    const redis = make();
    const worker = redis.open('worker', 'blocking');
    const cancel = redis.open('cancel-listener', 'subscriber');
    expect(worker.options.connectionName).toBe('reelroom-transcoder-worker');
    expect(worker.options.maxRetriesPerRequest).toBeNull();
    expect(cancel.options.connectionName).toBe('reelroom-transcoder-cancel-listener');
    expect(redis.names).toEqual(['worker', 'cancel-listener']);
    redis.onApplicationShutdown();
  });

  it('refuses a second connection under the same name', () => {
    const redis = make();
    redis.open('worker', 'blocking');
    expect(() => redis.open('worker', 'blocking')).toThrow(/already open/);
    redis.onApplicationShutdown();
  });

  it('logs connection errors with the connection name', async () => {
    const lines: Array<{ msg: string; connection?: string }> = [];
    const redis = make(lines);
    redis.open('worker', 'blocking');
    await expect.poll(() => lines.find((l) => l.msg === 'redis connection error')).toMatchObject({ connection: 'worker' });
    redis.onApplicationShutdown();
  });

  it('closes every connection at shutdown', async () => {
    // A TCP server that reads and never answers: enough for the connections to be open, and it closes its
    // side when the client does, as Redis would.
    const server = createServer((socket) => socket.resume());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const redis = new RedisConnections(loadConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }), pino({ level: 'silent' }));
      const opened = [redis.open('worker', 'blocking'), redis.open('cancel-listener', 'subscriber')];
      await expect.poll(() => opened.map((c) => c.status)).toEqual(['connect', 'connect']);
      redis.onApplicationShutdown();
      await expect.poll(() => opened.map((c) => c.status)).toEqual(['end', 'end']);
      expect(redis.names).toEqual([]);
    } finally {
      server.close();
    }
  });
});
