import { ForbiddenException } from '@nestjs/common';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authAs, FakeSocket } from '../testing/fake-socket.js';
import { currentRoom, SocketEvents } from './socket-events.js';

/** A logger that keeps what it was told, to check what gets logged. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'trace' }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) });
  return { logger, lines };
}

const schema = z.object({ n: z.number().int() });

describe(SocketEvents.name, () => {
  it('validates the payload: a bad one is answered with what is wrong and never reaches the handler', async () => {
    const socket = new FakeSocket(authAs('ana'));
    let ran = 0;
    new SocketEvents(pino({ level: 'silent' })).on(socket, 'chat:react', schema, async () => void ran++);
    expect(await socket.send('chat:react', { n: 'x' })).toEqual({
      ok: false,
      error: expect.stringMatching(/^Invalid chat:react payload: /) as string,
    });
    expect(await socket.send('chat:react', null)).toMatchObject({ ok: false });
    expect(ran).toBe(0);
  });

  it("passes the parsed data and answers with the handler's reply, once", async () => {
    const socket = new FakeSocket(authAs('ana'));
    const replies: unknown[] = [];
    new SocketEvents(pino({ level: 'silent' })).on(socket, 'mod:role', schema, async ({ n }, reply) => {
      reply({ ok: true, data: [] });
      reply({ ok: false, error: `second ${n}` });
    });
    socket.listeners.get('mod:role')!({ n: 1 }, (r: unknown) => replies.push(r));
    await expect.poll(() => replies.length).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(replies).toEqual([{ ok: true, data: [] }]);
  });

  it('answers a thrown HttpException with its sentence, and anything else with a generic one that is logged', async () => {
    const socket = new FakeSocket(authAs('ana'));
    const { logger, lines } = recordingLogger();
    const events = new SocketEvents(logger);
    events.on(socket, 'mod:kick', schema, async () => {
      throw new ForbiddenException('Only the host can do that.');
    });
    events.on(socket, 'mod:mute', schema, async () => {
      throw new TypeError('boom');
    });
    expect(await socket.send('mod:kick', { n: 1 })).toEqual({ ok: false, error: 'Only the host can do that.' });
    expect(lines.filter((l) => l.msg === 'socket handler failed')).toHaveLength(0);
    expect(await socket.send('mod:mute', { n: 1 })).toEqual({ ok: false, error: 'Something went wrong on our side; try again.' });
    expect(lines.filter((l) => l.msg === 'socket handler failed')).toHaveLength(1);
  });

  it('answers {ok: true} when the handler finishes without replying, and survives events sent without an ack', async () => {
    const socket = new FakeSocket(authAs('ana'));
    const seen: number[] = [];
    const events = new SocketEvents(pino({ level: 'silent' }));
    events.on(socket, 'player:status', schema, async ({ n }) => void seen.push(n));
    events.on(socket, 'chat:typing', schema, async () => {
      throw new Error('no ack to answer');
    });
    expect(await socket.send('player:status', { n: 7 })).toEqual({ ok: true });
    socket.fire('player:status', { n: 8 });
    socket.fire('player:status', 'not an object');
    socket.fire('chat:typing', { n: 1 });
    await expect.poll(() => seen).toEqual([7, 8]);
  });

  it('needs a joined room for room events (400 "Join a room first.")', () => {
    const socket = new FakeSocket(authAs('ana'));
    expect(() => currentRoom(socket)).toThrow('Join a room first.');
    socket.data.roomId = 'r1';
    expect(currentRoom(socket)).toBe('r1');
  });
});
