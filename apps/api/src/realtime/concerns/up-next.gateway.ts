import { Injectable } from '@nestjs/common';
import { queueAddSchema, queueGetSchema, queueMoveSchema, queueRemoveSchema, queueSkipSchema, queueVoteSchema } from '@reelroom/contracts';
import { UpNextService, type QueueCaller } from '../../up-next/up-next.service.js';
import type { ClientSocket } from '../client-socket.js';
import { SocketConcern } from '../socket-concern.js';
import { currentRoom, SocketEvents } from '../socket-events.js';

/** "Up next" on the socket: every event is validated here and answered with the queue as it is now. */
@Injectable()
export class UpNextGateway extends SocketConcern {
  constructor(
    private readonly queue: UpNextService,
    private readonly events: SocketEvents,
  ) {
    super();
  }

  bind(socket: ClientSocket): void {
    const caller = (): QueueCaller => ({ userId: socket.data.auth.user.id, name: socket.data.auth.user.displayName });
    this.events.on(socket, 'queue:get', queueGetSchema, async (_p, reply) => {
      reply({ ok: true, data: await this.queue.get(caller(), currentRoom(socket)) });
    });
    this.events.on(socket, 'queue:add', queueAddSchema, async ({ mediaId }, reply) => {
      reply({ ok: true, data: await this.queue.add(caller(), currentRoom(socket), mediaId) });
    });
    this.events.on(socket, 'queue:move', queueMoveSchema, async ({ itemId, index }, reply) => {
      reply({ ok: true, data: await this.queue.move(caller(), currentRoom(socket), itemId, index) });
    });
    this.events.on(socket, 'queue:remove', queueRemoveSchema, async ({ itemId }, reply) => {
      reply({ ok: true, data: await this.queue.remove(caller(), currentRoom(socket), itemId) });
    });
    this.events.on(socket, 'queue:skip', queueSkipSchema, async ({ mediaId }, reply) => {
      reply({ ok: true, data: await this.queue.skip(caller(), currentRoom(socket), mediaId) });
    });
    this.events.on(socket, 'queue:vote', queueVoteSchema, async ({ mediaId }, reply) => {
      reply({ ok: true, data: await this.queue.vote(caller(), currentRoom(socket), mediaId) });
    });
  }
}
