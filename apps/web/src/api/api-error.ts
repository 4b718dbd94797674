/** An error reply from the API, carrying the server's `{ statusCode, message }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly statusCode: number,
    message: string,
    /** From a 429's Retry-After header: how long the server asked us to wait, in seconds. */
    readonly retryAfterSec: number | null = null,
  ) {
    super(message);
  }

  /** statusCode 0 means the request never got an HTTP answer (offline, server down, aborted). */
  get isNetworkError(): boolean {
    return this.statusCode === 0;
  }
}

/** Turns whatever was thrown into a sentence a person can act on. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong. Please try again.';
}

const NETWORK_MESSAGE = 'Could not reach the Reelroom server. Check your connection and try again.';

/** Builds an ApiError from a response body that may or may not be our JSON error shape. */
export function apiErrorFromBody(status: number, body: unknown, statusText = '', retryAfterSec: number | null = null): ApiError {
  if (body && typeof body === 'object' && 'message' in body) {
    const raw = body.message;
    // Some frameworks send a list of validation messages; show them all rather than drop any.
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
    if (message) return new ApiError(status, message, retryAfterSec);
  }
  // 502-504 come from a proxy in front of the API: the API itself is down or restarting.
  if (status === 0 || (status >= 502 && status <= 504)) return new ApiError(status, NETWORK_MESSAGE);
  if (status >= 500) return new ApiError(status, `The server had a problem (${status}). Please try again.`);
  return new ApiError(status, `Request failed (${status}${statusText ? ` ${statusText}` : ''}).`);
}

export function networkError(): ApiError {
  return new ApiError(0, NETWORK_MESSAGE);
}

/** Retry-After in seconds (the API always sends delta-seconds), or null when absent or not a number. */
export function parseRetryAfter(header: string | null): number | null {
  if (!header || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

/** A wait as people say it: "45 s", "3 min 47 s", "2 min". */
export function formatWait(sec: number): string {
  const s = Math.max(1, Math.ceil(sec));
  const min = Math.floor(s / 60);
  const rest = s % 60;
  if (min === 0) return `${rest} s`;
  return rest === 0 ? `${min} min` : `${min} min ${rest} s`;
}
