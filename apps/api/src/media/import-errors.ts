import { BadRequestException, HttpException, UnprocessableEntityException } from '@nestjs/common';
import type { FetchError, FetchErrorCode } from '@reelroom/fetch/messages';

/** Refusals about how the link is written: the request itself is wrong (400). */
const MALFORMED: ReadonlySet<FetchErrorCode> = new Set([
  'invalid-url',
  'unsupported-scheme',
  'credentials-in-url',
  'url-too-long',
  'port-not-allowed',
]);

/**
 * A refused link as an HTTP answer with the fetcher's sentence: 400 for a link that is malformed or not
 * allowed as written, 422 for a well-formed link we will not fetch (a private address, an unknown name).
 * `detail` (which may name internal addresses) stays in the logs.
 */
export function refusedLink(err: FetchError): HttpException {
  return MALFORMED.has(err.code) ? new BadRequestException(err.userMessage) : new UnprocessableEntityException(err.userMessage);
}
