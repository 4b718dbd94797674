import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { addLogContext, currentLogFields, withLogContext } from './log-context.js';
import { routeLogFields } from './log-context.interceptor.js';

/** A pino logger with the same mixin as createLogger, writing into an array. */
function capture() {
  const out: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  const logger = pino({ mixin: () => ({ ...currentLogFields() }) }, stream);
  return { logger, out };
}

describe('log context', () => {
  it('adds the current ids to every line, across awaits, and lets the call name its own', async () => {
    const { logger, out } = capture();
    await withLogContext({ requestId: 'r1', roomId: 'room-a' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      addLogContext({ userId: 'u1' });
      logger.info('inside');
      logger.info({ roomId: 'room-b' }, 'own room');
    });
    logger.info('outside');
    expect(out[0]).toMatchObject({ requestId: 'r1', roomId: 'room-a', userId: 'u1', msg: 'inside' });
    expect(out[1]).toMatchObject({ requestId: 'r1', roomId: 'room-b' });
    expect(out[2]).not.toHaveProperty('requestId');
  });

  it('does not let a line change the context (pino merges into the mixin object)', () => {
    const { logger } = capture();
    withLogContext({ requestId: 'r2' }, () => {
      logger.info({ requestId: 'other' }, 'x');
      expect(currentLogFields()).toEqual({ requestId: 'r2' });
    });
  });

  it('starts a socket event or job with its own ids only', () => {
    withLogContext({ requestId: 'r3', userId: 'u' }, () =>
      withLogContext({ socketId: 's1' }, () => expect(currentLogFields()).toEqual({ socketId: 's1' })),
    );
  });
});

describe(routeLogFields.name, () => {
  it('names the room, the media or the job a route parameter stands for', () => {
    expect(routeLogFields('/api/rooms/:id/media', { id: 'r' })).toEqual({ roomId: 'r' });
    expect(routeLogFields('/api/rooms/:id', { id: 'r' })).toEqual({ roomId: 'r' });
    expect(routeLogFields('/api/media/:mediaId/retry', { mediaId: 'm' })).toEqual({ mediaId: 'm' });
    expect(routeLogFields('/api/admin/queues/:queue/jobs/:id/retry', { queue: 'media', id: 'j' })).toEqual({ jobId: 'j' });
    expect(routeLogFields('/api/roomsX/:id', { id: 'r' })).toEqual({});
  });
});
