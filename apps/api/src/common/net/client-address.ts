import type { IncomingHttpHeaders } from 'node:http';
import proxyaddr from 'proxy-addr';

/** What is known of a connection: its peer address and the X-Forwarded-For header it carried. */
export interface PeerInfo {
  remoteAddress: string | undefined;
  headers: IncomingHttpHeaders;
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client: limits and bans key on the plain form. */
const plain = (addr: string) => (addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr);

/**
 * The client address of a request or a socket handshake: the one function every limit, ban and log line
 * uses, so HTTP and sockets agree. X-Forwarded-For is walked from the nearest hop only while each hop is
 * a configured proxy (TRUST_PROXY); with none configured the peer address is the client, so a client
 * cannot pick its own address with a header (the room-lock attack of issue 9).
 */
export function clientAddressOf(peer: PeerInfo, trust: (addr: string, hop: number) => boolean): string {
  const header = peer.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  const hops = [plain(peer.remoteAddress ?? 'unknown'), ...forwarded.map(plain)];
  // The same walk as proxy-addr (which Express's req.ip uses): stop at the first hop that is not trusted.
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i], i)) return hops[i];
  return hops[hops.length - 1];
}

/** ClientAddress with TRUST_PROXY's list (CoreModule builds it from the config). */
export class ClientAddress {
  private readonly trust: (addr: string, hop: number) => boolean;

  constructor(trustProxy: string[]) {
    this.trust = trustProxy.length > 0 ? proxyaddr.compile(trustProxy) : () => false;
  }

  /** The client of a peer: a socket.io handshake gives `{remoteAddress: handshake.address, headers}`. */
  of(peer: PeerInfo): string {
    return clientAddressOf(peer, this.trust);
  }

  /** The client of an HTTP request. */
  ofRequest(req: { socket: { remoteAddress?: string }; headers: IncomingHttpHeaders }): string {
    return clientAddressOf({ remoteAddress: req.socket.remoteAddress, headers: req.headers }, this.trust);
  }

  /** For Express's `trust proxy` setting, so that req.ip and req.protocol agree with `of`. */
  get expressTrust(): (addr: string, hop: number) => boolean {
    return this.trust;
  }
}
