import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { currentLogFields } from './log-context.js';

/**
 * Requests that are the product's own traffic rather than a person's action (segment fetches while
 * watching, scrapes, probes, socket.io polling): their lines go to debug, or a watch fills the log.
 */
const QUIET = /^\/(media|metrics|socket\.io|assets)(\/|$)|^\/api\/health(\/|$)/;

/**
 * One line per HTTP request when it ends: method, route template, status, duration, and the request's
 * ids (requestId, then userId/roomId/mediaId once the guards and route set them).
 */
export function accessLogMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // The context's own object: by the time the response ends it holds every id the request learnt.
    const fields = currentLogFields();
    res.once('finish', () => {
      const path = req.originalUrl.split('?')[0] ?? '/';
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const line = {
        ...fields,
        method: req.method,
        route: typeof template === 'string' ? template : undefined,
        path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      };
      if (res.statusCode >= 500) logger.warn(line, 'request failed');
      else if (QUIET.test(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
