import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Turns a host name into every address it has. Injected so tests can play a rebinding DNS server. */
export interface HostResolver {
  resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/**
 * The system resolver (getaddrinfo, so /etc/hosts counts), asked once for all A and AAAA records. The
 * answer is checked and the connection then goes to a checked address: nothing resolves the name again.
 */
export class DnsHostResolver implements HostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const answers = await lookup(hostname, { all: true, verbatim: true });
    return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }
}
