import { HttpException, Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ClientToServerEvents } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { withLogContext, type LogFields } from '../common/log-context.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import type { ClientSocket } from './client-socket.js';
import type { ClientEvent } from './socket.types.js';

/** The reply a client expects for this event (never: the event takes no ack). */
type ReplyArg<F> = F extends (reply: infer R) => void ? R : never;
export type ReplyOf<E extends ClientEvent> = ReplyArg<Parameters<ClientToServerEvents[E]>[1]>;

/** What every refused or failed event is answered with. */
export interface ErrorReply {
  ok: false;
  error: string;
}

/** The answer to an event whose handler finished without replying (events that need no data back). */
export interface DoneReply {
  ok: true;
}

/** A handler may be synchronous (relays such as chat:typing); a throw is answered like a rejection. */
export type EventHandler<E extends ClientEvent, S extends z.ZodType> = (
  data: z.output<S>,
  reply: (r: ReplyOf<E>) => void,
) => void | Promise<void>;

/** A user-facing sentence for any error: our HttpExceptions carry one; anything else is generic. */
export const sentence = (err: unknown): string =>
  err instanceof HttpException ? err.message : 'Something went wrong on our side; try again.';

/** A string id the payload names (room:join's roomId, a media command's mediaId), for log lines. */
function idField(data: unknown, key: 'roomId' | 'mediaId'): string | undefined {
  const v = data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** The room a socket joined, or a 400 "Join a room first." for events that need one. */
export function currentRoom(socket: ClientSocket): string {
  if (!socket.data.roomId) throw new HttpException('Join a room first.', 400);
  return socket.data.roomId;
}

/**
 * The one way a gateway listens to a client event: `on(socket, event, schema, handler)`.
 * - the payload is validated with the contracts' zod schema; a bad one is answered `{ok: false, error}`
 *   naming what is wrong, and the handler never runs;
 * - every event sent with an ack gets exactly one answer: the handler's; `{ok: false, error}` with a
 *   sentence when it throws (HttpException: its message; anything else: a generic sentence, logged); or
 *   `{ok: true}` when it finished without replying (room:leave, chat:typing, player:status);
 * - no exception escapes into socket.io (an unhandled rejection would take the process down).
 */
@Injectable()
export class SocketEvents {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    // Counts accepted chat messages and sync commands (absent in unit specs).
    @Optional() private readonly metrics?: ApiMetrics,
  ) {}

  on<E extends ClientEvent, S extends z.ZodType>(socket: ClientSocket, event: E, schema: S, handler: EventHandler<E, S>): void {
    socket.listen(event, (payload, ack) => {
      const parsed = schema.safeParse(payload);
      // Every line about this event carries the socket, the event, the user and the room (issue 10).
      const fields: LogFields = {
        socketId: socket.id,
        event,
        userId: socket.data.auth?.user.id,
        roomId: socket.data.roomId ?? idField(payload, 'roomId'),
        mediaId: idField(payload, 'mediaId'),
      };
      let outcomeLogged = false;
      let answered = false;
      const send = (r: ReplyOf<E> | ErrorReply | DoneReply) => {
        if (!outcomeLogged) {
          outcomeLogged = true;
          // One line per event: refusals at info (a person was told no), the rest at debug (chat and sync
          // traffic would drown the log).
          if ('ok' in r && r.ok === false) this.logger.info({ ...fields, error: r.error }, 'socket event refused');
          else this.logger.debug(fields, 'socket event');
        }
        if (answered || typeof ack !== 'function') return;
        answered = true;
        if ('ok' in r && r.ok) this.metrics?.socketEventAccepted(event, payload);
        (ack as (r: ReplyOf<E> | ErrorReply | DoneReply) => void)(r);
      };
      if (!parsed.success)
        return send({ ok: false, error: `Invalid ${event} payload: ${parsed.error.issues.map((i) => i.message).join('; ')}` });
      // The async wrapper turns a synchronous throw into the same rejection as an async one.
      withLogContext(fields, async () => handler(parsed.data, send))
        .then(() => send({ ok: true }))
        .catch((err: unknown) => {
          if (!(err instanceof HttpException)) this.logger.error({ ...fields, err }, 'socket handler failed');
          send({ ok: false, error: sentence(err) });
        })
        .catch(() => undefined);
    });
  }
}
