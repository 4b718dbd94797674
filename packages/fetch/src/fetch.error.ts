/**
 * Why a fetch did not produce the file. `permanent` codes come from the link itself (policy, content,
 * limits): retrying cannot help, so the import job fails at once (BullMQ UnrecoverableError). The others
 * (network, timeouts) may succeed on a retry.
 */
export const FETCH_ERROR_CODES = {
  'invalid-url': { permanent: true },
  'unsupported-scheme': { permanent: true },
  'credentials-in-url': { permanent: true },
  'url-too-long': { permanent: true },
  'port-not-allowed': { permanent: true },
  'forbidden-address': { permanent: true },
  'host-not-found': { permanent: false },
  'too-many-redirects': { permanent: true },
  'bad-redirect': { permanent: true },
  'http-error': { permanent: false },
  'too-large': { permanent: true },
  'connect-timeout': { permanent: false },
  'idle-timeout': { permanent: false },
  'total-timeout': { permanent: false },
  cancelled: { permanent: true },
  'connection-failed': { permanent: false },
  'connection-lost': { permanent: false },
  'tls-failed': { permanent: true },
  'bad-response': { permanent: true },
  'hls-invalid': { permanent: true },
  'hls-playlist-too-large': { permanent: true },
  'hls-too-many-variants': { permanent: true },
  'hls-too-many-segments': { permanent: true },
  'hls-encrypted': { permanent: true },
  'hls-byte-ranges': { permanent: true },
  'hls-live': { permanent: true },
  'hls-empty': { permanent: true },
  'hls-no-suitable-variant': { permanent: true },
  'hls-mixed-init': { permanent: true },
} as const satisfies Record<string, { permanent: boolean }>;

export type FetchErrorCode = keyof typeof FETCH_ERROR_CODES;

/**
 * The one error this package throws for anything about the link or the remote server. `userMessage` is a
 * sentence for the person (from FETCH_MESSAGES); `detail` is for logs only (it may name internal addresses
 * and must not be shown). Errors of the caller's own sink (storage) pass through unchanged.
 */
export class FetchError extends Error {
  readonly permanent: boolean;

  constructor(
    readonly code: FetchErrorCode,
    readonly userMessage: string,
    readonly detail?: string,
  ) {
    super(detail ? `${userMessage} (${detail})` : userMessage);
    this.name = 'FetchError';
    this.permanent = FETCH_ERROR_CODES[code].permanent;
  }
}
