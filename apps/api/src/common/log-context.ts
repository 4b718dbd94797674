import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * The ids a log line carries without each call site passing them (issue 10): who asked (requestId for
 * HTTP, socketId + event for socket.io), as whom (userId), about what (roomId, mediaId, jobId). pino's
 * `mixin` (createLogger) adds the current ones to every line; fields given at the call win.
 */
export interface LogFields {
  requestId?: string;
  socketId?: string;
  event?: string;
  userId?: string;
  roomId?: string;
  mediaId?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/** The ids of the request, socket event or job being handled now ({} outside any). */
export function currentLogFields(): LogFields {
  return storage.getStore() ?? {};
}

/**
 * Runs `fn` (and everything it starts, awaited or not) with these ids, and only these, on every log
 * line: a socket event or a queue event is a unit of its own, whatever context it was delivered in.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...fields }, fn);
}

/**
 * Adds ids learnt along the way (the user once authenticated, the room from the route) to the current
 * context. The store is one object per request, so later lines of the same request see them too.
 */
export function addLogContext(fields: LogFields): void {
  const store = storage.getStore();
  if (!store) return;
  for (const [k, v] of Object.entries(fields) as [keyof LogFields, string | undefined][]) if (v) store[k] = v;
}

/** A caller's own X-Request-Id is kept (a proxy's trace id) when it is a plain token; otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
export const REQUEST_ID_HEADER = 'X-Request-Id';

type ContextRequest = Request & { logFields?: LogFields };

/**
 * Mounted first: gives each request its id (echoed in the X-Request-Id response header, so a user's
 * report can be matched with the lines) and opens its log context.
 */
export function requestContextMiddleware() {
  return (req: ContextRequest, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const fields: LogFields = { requestId };
    req.logFields = fields;
    storage.run(fields, next);
  };
}

/**
 * Mounted after the body parsers: a parser calls `next` from the request stream's events, which run
 * outside the context opened above. Re-entering the request's own store object carries it on.
 */
export function restoreRequestContext() {
  return (req: ContextRequest, _res: Response, next: NextFunction) => (req.logFields ? storage.run(req.logFields, next) : next());
}
