import type { LookupAddress } from 'node:dns';
import type { Agent as HttpAgent, RequestOptions } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import type { Destination } from './destination.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that ignores the name and answers with the address that passed the check,
 * so the socket cannot land anywhere a second DNS answer would send it (DNS rebinding). Node asks with
 * `all: true` when it tries address families in turn (autoSelectFamily), hence both answer shapes.
 */
export function pinnedLookup(address: string, family: 4 | 6) {
  return (_hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

export interface PinnedRequestExtras {
  headers: Record<string, string>;
  agent: HttpAgent | HttpsAgent;
  trustedCa?: string;
}

/**
 * The options for http(s).request that connect to the checked address while everything else (Host header,
 * TLS SNI and certificate check) uses the name from the URL. Pure, so the security-relevant parts are
 * tested without a network.
 */
export function pinnedRequestOptions(
  dest: Destination,
  extras: PinnedRequestExtras,
): RequestOptions & { servername?: string; rejectUnauthorized?: boolean; ca?: string } {
  const tls = dest.url.protocol === 'https:';
  return {
    protocol: dest.url.protocol,
    host: dest.hostname,
    port: dest.port,
    path: `${dest.url.pathname}${dest.url.search}`,
    method: 'GET',
    headers: extras.headers,
    agent: extras.agent,
    lookup: pinnedLookup(dest.address, dest.family),
    ...(tls
      ? {
          // SNI and the certificate's name are the host name the person gave, never the address.
          ...(isIP(dest.hostname) === 0 ? { servername: dest.hostname } : {}),
          rejectUnauthorized: true,
          ...(extras.trustedCa ? { ca: extras.trustedCa } : {}),
        }
      : {}),
  };
}
