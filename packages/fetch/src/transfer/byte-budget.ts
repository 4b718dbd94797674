import { FETCH_MESSAGES, type SizeLimitReason } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';

/**
 * The bytes one call may write, shared by every part of it (all HLS segments count towards one sum).
 * Counted as they arrive: Content-Length is a claim, only used to refuse early when it is already too big.
 */
export class ByteBudget {
  private used = 0;

  constructor(
    readonly maxBytes: number,
    private readonly reason: SizeLimitReason,
  ) {
    if (!(maxBytes >= 0)) throw new Error(`maxBytes must be >= 0, got ${maxBytes}`);
  }

  get bytes(): number {
    return this.used;
  }

  get remaining(): number {
    return this.maxBytes - this.used;
  }

  /** Refuses before reading a body that says it will not fit. */
  checkDeclared(contentLength: number | null): void {
    if (contentLength !== null && contentLength > this.remaining) {
      throw this.tooLarge(`Content-Length ${contentLength}, ${this.remaining} bytes left`);
    }
  }

  /** Counts bytes about to be written; throws (without counting them) when they would go over. */
  take(n: number): void {
    if (this.used + n > this.maxBytes) throw this.tooLarge(`${this.used + n} bytes received, limit ${this.maxBytes}`);
    this.used += n;
  }

  private tooLarge(detail: string): FetchError {
    return new FetchError('too-large', FETCH_MESSAGES.tooLarge(this.maxBytes, this.reason), detail);
  }
}
