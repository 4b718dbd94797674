import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { currentLogFields } from './log-context.js';

/**
 * One structured (JSON) line per event; ids go in fields, never secrets. The ids of the request, socket
 * event or job being handled (log-context.ts) are added to every line. `pretty` (used by
 * `npm run up`) renders the same lines for people, through pino-pretty in a worker thread.
 */
export function createLogger(level: string, name: string, format: 'json' | 'pretty' = 'json'): Logger {
  return pino({
    name,
    level,
    // A copy: pino merges the call's own fields into this object (the call's win).
    mixin: () => ({ ...currentLogFields() }),
    redact: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token'],
    ...(format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,name' } } }
      : {}),
  });
}

/** Routes Nest's own log calls into pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  // Nest's own info lines (every mapped route...) are start-up noise: keep them at debug.
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

export const LOGGER = Symbol('LOGGER');
