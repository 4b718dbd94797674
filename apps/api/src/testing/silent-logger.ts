import { pino } from 'pino';

/** A real pino logger that writes nothing: services log as in production, specs stay quiet. */
export const silentLogger = pino({ level: 'silent' });
