import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import type { FetchPolicy } from './fetch-policy.js';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

export type UrlPolicy = Pick<FetchPolicy, 'allowedPorts' | 'maxUrlLength'>;

/**
 * The checks a link passes before any name is resolved: a parseable http(s) URL, no credentials, an
 * allowed port, a bounded length. Pure; used for the link a person pastes and for every redirect target,
 * playlist, init segment and segment URL. Returns the URL without its fragment (never sent anyway).
 *
 * Odd IPv4 notations need no rule of their own: node's WHATWG parser already turns `2130706433`,
 * `0x7f.1`, `0177.0.0.1` and `127.1` into `127.0.0.1`, which the address policy then sees.
 */
export function checkUrl(input: string | URL, policy: UrlPolicy): URL {
  const text = typeof input === 'string' ? input : input.href;
  if (text.length > policy.maxUrlLength) throw new FetchError('url-too-long', FETCH_MESSAGES.urlTooLong(policy.maxUrlLength));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError('invalid-url', FETCH_MESSAGES.invalidUrl);
  }
  if (!(url.protocol in DEFAULT_PORTS)) throw new FetchError('unsupported-scheme', FETCH_MESSAGES.unsupportedScheme, url.protocol);
  if (url.username !== '' || url.password !== '') throw new FetchError('credentials-in-url', FETCH_MESSAGES.credentialsInUrl);
  if (url.hostname === '') throw new FetchError('invalid-url', FETCH_MESSAGES.invalidUrl, 'no host');
  const port = effectivePort(url);
  if (!policy.allowedPorts.includes(port))
    throw new FetchError('port-not-allowed', FETCH_MESSAGES.portNotAllowed(policy.allowedPorts), `port ${port}`);
  url.hash = '';
  // The parser may have made it longer (percent-encoding, punycode).
  if (url.href.length > policy.maxUrlLength) throw new FetchError('url-too-long', FETCH_MESSAGES.urlTooLong(policy.maxUrlLength));
  return url;
}

export function effectivePort(url: URL): number {
  return url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port);
}

/** The host as sockets and TLS want it: IPv6 literals without their brackets. */
export function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
