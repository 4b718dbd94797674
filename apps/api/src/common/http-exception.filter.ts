import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { ApiError } from '@reelroom/contracts';
import { LOGGER } from './logger.js';
import { RetryLaterException } from './rate-limit/retry-later.exception.js';

/**
 * Every error leaves as JSON `{statusCode, message}` with a sentence a person can act on.
 * Unexpected errors are logged with their stack and answered with a generic 500: no stack traces to users.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    // Every limit says when to come back (RetryLaterException): as a sentence and as Retry-After.
    if (exception instanceof RetryLaterException) res.setHeader('Retry-After', String(exception.retryAfterSec));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof HttpException) {
      const status: HttpStatus = exception.getStatus();
      const r = exception.getResponse();
      let message = exception.message;
      if (typeof r === 'object' && r && 'message' in r) {
        const m = r.message;
        message = Array.isArray(m) ? m.join('; ') : String(m);
      }
      if (status === HttpStatus.PAYLOAD_TOO_LARGE && /File too large/i.test(message)) {
        message = 'This file is larger than the server accepts.';
      }
      return { statusCode: status, message };
    }
    // body-parser errors (malformed JSON, body too large) carry a status of their own.
    const status = (exception as { status?: number; type?: string })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'The request body is not valid JSON.'
          : type === 'entity.too.large'
            ? 'The request body is too large.'
            : 'The request could not be read.';
      return { statusCode: status, message };
    }
    return { statusCode: 500, message: 'Something went wrong on our side. Please try again.' };
  }
}
