import { HttpException } from '@nestjs/common';

/** "in 1 minute", "in 12 minutes": waits are told in whole minutes, rounded up. */
export const inMinutes = (ms: number): string => {
  const min = Math.max(1, Math.ceil(ms / 60_000));
  return `in ${min} minute${min === 1 ? '' : 's'}`;
};

/**
 * A 429 that says when to come back: the exception filter sends `Retry-After` (seconds) with it.
 * Every limit (sign-in, registration, guests, PINs) answers with one.
 */
export class RetryLaterException extends HttpException {
  readonly retryAfterSec: number;

  constructor(message: string, retryAfterMs: number) {
    super(message, 429);
    this.retryAfterSec = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}

/** The sentence of the sign-in and sign-up limits. */
export const tooManyAttempts = (retryAfterMs: number) =>
  new RetryLaterException(`Too many attempts, try again ${inMinutes(retryAfterMs)}.`, retryAfterMs);
