import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { RedisConnections } from './redis-connections.js';

/** Nothing listens on port 1: connections fail, which is what the error logging is for, and no Redis is needed. */
const config = { redisUrl: 'redis://127.0.0.1:1', queuePrefix: 'rr-test' };

function setup() {
  const lines: Array<{ msg: string; connection?: string; err?: string }> = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string }) });
  return { lines, connections: new RedisConnections(config, logger) };
}

describe(RedisConnections.name, () => {
  it('builds every key under QUEUE_PREFIX', () => {
    const { connections } = setup();
    expect(connections.key('presence', 'room1', 'conn')).toBe('rr-test:presence:room1:conn');
    expect(connections.key('sio', 'session', '')).toBe('rr-test:sio:session:');
    expect(connections.prefix).toBe('rr-test');
  });

  it('opens one named connection per name, with the role it was first asked for', async () => {
    const { connections } = setup();
    const state = connections.connection('room-state', 'command');
    expect(connections.connection('room-state', 'command')).toBe(state);
    expect(() => connections.connection('room-state', 'blocking')).toThrow(/is a command connection, not blocking/);
    const producer = connections.connection('queue-producer', 'fail-fast');
    expect(connections.names).toEqual(['room-state', 'queue-producer']);
    expect(state.options.connectionName).toBe('reelroom-api-room-state');
    expect(producer.options.enableOfflineQueue).toBe(false);
    await connections.onApplicationShutdown();
  });

  it('logs connection errors with the connection name, and closes everything at shutdown, even with Redis down', async () => {
    const { connections, lines } = setup();
    const a = connections.connection('limits', 'command');
    const b = connections.connection('socketio-adapter', 'subscriber');
    await expect.poll(() => lines.some((l) => l.msg === 'redis connection error' && l.connection === 'limits' && !!l.err)).toBe(true);
    // Not ready: a QUIT would wait in the offline queue for a Redis that is down, so they are dropped.
    const spies = [a, b].map((r) => ({ quit: vi.spyOn(r, 'quit'), disconnect: vi.spyOn(r, 'disconnect') }));
    await connections.onApplicationShutdown();
    for (const s of spies) {
      expect(s.quit).not.toHaveBeenCalled();
      expect(s.disconnect).toHaveBeenCalledOnce();
    }
    expect(connections.names).toEqual([]);
  });
});
