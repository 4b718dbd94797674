import type { Writable } from 'node:stream';
import { resolveDestination, type Destination } from './net/destination.js';
import { DnsHostResolver, type HostResolver } from './net/host.resolver.js';
import { resolveFetchPolicy, type FetchPolicy, type ResolvedFetchPolicy } from './policy/fetch-policy.js';
import { checkUrl } from './policy/url.policy.js';
import { FetchSession, type TransferOptions } from './transfer/fetch-session.js';

export interface SafeFetcherDeps {
  /** Default: the system resolver (dns.lookup, all addresses). */
  resolver?: HostResolver;
  /** Clock for progress throttling. Default Date.now. */
  now?: () => number;
}

export interface DownloadResult {
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
  contentType: string | null;
  /** Bytes written to the sink. */
  bytes: number;
  /** The first bytes written (up to 4 KiB), for the caller's type sniffer. */
  head: Buffer;
}

/**
 * The fetcher for links people give us. It owns the policy and the resolver; each call runs in its own
 * FetchSession (one total timeout, one byte budget). The sink is the caller's (a storage write stream):
 * the body is streamed into it, never held whole in memory. On success the sink is ended and flushed; on
 * failure it is left as it is (not ended) and the caller discards the partial file.
 */
export class SafeFetcher {
  readonly policy: ResolvedFetchPolicy;
  private readonly resolver: HostResolver;
  private readonly now: () => number;

  constructor(policy: Partial<FetchPolicy> = {}, deps: SafeFetcherDeps = {}) {
    this.policy = resolveFetchPolicy(policy);
    this.resolver = deps.resolver ?? new DnsHostResolver();
    this.now = deps.now ?? Date.now;
  }

  /**
   * The checks that need no request: URL policy, then DNS and every address. For the API to answer a
   * refused link with a 4xx before queueing; the import job checks again when it fetches (DNS may change).
   */
  async check(link: string): Promise<Destination> {
    return resolveDestination(checkUrl(link, this.policy), this.resolver, this.policy.allowForTests, this.policy.connectTimeoutMs);
  }

  /** A session for several fetches sharing one budget and timeout (the HLS importer uses this). */
  session(options: TransferOptions): FetchSession {
    return new FetchSession(this.policy, this.resolver, this.now, options);
  }

  /** Fetches one link into the sink. Throws FetchError (with `userMessage`) for anything about the link. */
  async download(link: string, sink: Writable, options: TransferOptions): Promise<DownloadResult> {
    const session = this.session(options);
    try {
      const res = await session.open(link);
      session.expectTotal(res.contentLength);
      const bytes = await session.copyTo(res, sink);
      await session.finish(sink);
      return { url: res.url.href, redirects: res.redirects, contentType: res.contentType, bytes, head: session.head };
    } finally {
      session.close();
    }
  }
}
