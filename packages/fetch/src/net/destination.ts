import { isIP } from 'node:net';
import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import { classifyAddress } from '../policy/address.policy.js';
import type { IpAddress } from '../policy/ip-address.js';
import { bareHostname, effectivePort } from '../policy/url.policy.js';
import type { HostResolver, ResolvedAddress } from './host.resolver.js';

/** A URL that passed every check, with the one address the connection must go to. */
export interface Destination {
  url: URL;
  /** The host name as typed (brackets removed): the Host header and the TLS servername. */
  hostname: string;
  port: number;
  /** The checked address; the socket connects here and nowhere else. */
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URL's host once and checks every address it has: if any one is not public, the link is
 * refused (a name with one public and one private address could be steered to the private one). IP
 * literals are checked as they are, without DNS. `url` must already have passed checkUrl.
 */
export async function resolveDestination(
  url: URL,
  resolver: HostResolver,
  allowForTests: readonly IpAddress[],
  dnsTimeoutMs = 10_000,
): Promise<Destination> {
  const hostname = bareHostname(url);
  const family = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (family === 4 || family === 6) {
    addresses = [{ address: hostname, family }];
  } else {
    try {
      addresses = await withTimeout(resolver.resolve(hostname), dnsTimeoutMs);
    } catch (err) {
      throw new FetchError('host-not-found', FETCH_MESSAGES.hostNotFound, `${hostname}: ${(err as Error).message}`);
    }
    if (addresses.length === 0) throw new FetchError('host-not-found', FETCH_MESSAGES.hostNotFound, `${hostname}: no addresses`);
  }
  for (const a of addresses) {
    const verdict = classifyAddress(a.address, allowForTests);
    if (!verdict.allowed) {
      throw new FetchError('forbidden-address', FETCH_MESSAGES.forbiddenAddress, `${hostname} -> ${a.address}: ${verdict.range}`);
    }
  }
  const first = addresses[0];
  return { url, hostname, port: effectivePort(url), address: first.address, family: first.family };
}

/** A look-up that does not answer in time counts as a failed one. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
