import type { HostResolver, ResolvedAddress } from '../net/host.resolver.js';

/**
 * A DNS stand-in: each name answers from its list of answers in turn (the last one repeats), which is how
 * a rebinding DNS server behaves: a public address for the check, then a private one.
 */
export class FakeResolver implements HostResolver {
  readonly calls: string[] = [];

  constructor(private readonly answers: Record<string, string[][]>) {}

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const turn = this.calls.filter((h) => h === hostname).length;
    this.calls.push(hostname);
    const list = this.answers[hostname];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = list[Math.min(turn, list.length - 1)];
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}
