import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';

/**
 * One call's lifetime: the total timeout and the caller's cancel signal folded into one AbortSignal that
 * every request of the call listens to. `failure` says which of the two ended it, as a FetchError.
 */
export class OperationScope {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private reason: FetchError | null = null;
  private readonly onCallerAbort = () => this.fail(new FetchError('cancelled', FETCH_MESSAGES.cancelled));

  constructor(
    totalTimeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.fail(new FetchError('total-timeout', FETCH_MESSAGES.totalTimeout(totalTimeoutMs))), totalTimeoutMs);
    this.timer.unref();
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The error that ended the call, or null while it runs. */
  get failure(): FetchError | null {
    return this.reason;
  }

  throwIfEnded(): void {
    if (this.reason) throw this.reason;
  }

  /** Waits for a promise that cannot be cancelled itself (a DNS lookup), giving up when the call ends. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.reason) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      // Only fail() aborts the controller, and it sets the reason first.
      const onAbort = () => reject(this.reason!);
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }

  private fail(error: FetchError): void {
    if (this.reason) return;
    this.reason = error;
    this.controller.abort(error);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
