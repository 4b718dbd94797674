import { once } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Writable } from 'node:stream';
import { FETCH_MESSAGES, type SizeLimitReason } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import { resolveDestination } from '../net/destination.js';
import type { HostResolver } from '../net/host.resolver.js';
import { openHop } from '../net/http-hop.js';
import type { ResolvedFetchPolicy } from '../policy/fetch-policy.js';
import { checkUrl } from '../policy/url.policy.js';
import { ByteBudget } from './byte-budget.js';
import { OpenedResponse, parseContentLength } from './opened-response.js';
import { OperationScope } from './operation-scope.js';
import { ProgressThrottle, type FetchProgress } from './progress-throttle.js';

/** What one call may do: how many bytes, which limit that is, cancel, progress. */
export interface TransferOptions {
  /** The caller passes min(upload limit, the person's remaining quota). */
  maxBytes: number;
  /** Which of the two `maxBytes` is, for the refusal sentence. Default 'upload-limit'. */
  limitReason?: SizeLimitReason;
  signal?: AbortSignal;
  onProgress?: (progress: FetchProgress) => void;
}

/** How many first bytes of the output are kept for the caller's sniffer (ours needs 512). */
export const HEAD_BYTES = 4096;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One call's worth of fetching: every URL it touches (redirects, playlists, segments) goes through the
 * same checks, shares one total timeout, one byte budget and one keep-alive connection pool, and the
 * bytes written to the sink are counted and reported together. Sequential: one request at a time.
 */
export class FetchSession {
  readonly scope: OperationScope;
  readonly budget: ByteBudget;
  private readonly throttle: ProgressThrottle;
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private totalBytes: number | null = null;
  private segments: { done: number; count: number } | null = null;

  constructor(
    private readonly policy: ResolvedFetchPolicy,
    private readonly resolver: HostResolver,
    now: () => number,
    options: TransferOptions,
  ) {
    this.scope = new OperationScope(policy.totalTimeoutMs, options.signal);
    this.budget = new ByteBudget(options.maxBytes, options.limitReason ?? 'upload-limit');
    this.throttle = new ProgressThrottle(policy.progressIntervalMs, now, options.onProgress ?? (() => {}));
  }

  /** The first bytes written to the sink so far (at most HEAD_BYTES). */
  get head(): Buffer {
    return Buffer.concat(this.headChunks);
  }

  /**
   * GETs a URL, following up to maxRedirects redirects by hand; the URL and every redirect target pass the
   * whole policy (scheme, port, credentials, every resolved address) before a socket is opened. Resolves
   * with a 2xx response; anything else is a FetchError.
   */
  async open(link: string | URL): Promise<OpenedResponse> {
    let url = checkUrl(link, this.policy);
    for (let redirects = 0; ; redirects++) {
      const dest = await this.scope.race(resolveDestination(url, this.resolver, this.policy.allowForTests, this.policy.connectTimeoutMs));
      const agent = url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
      const hop = await openHop(dest, {
        headers: { 'user-agent': this.policy.userAgent, accept: '*/*', 'accept-encoding': 'identity' },
        agent,
        trustedCa: this.policy.testOnly?.trustedCa,
        connectTimeoutMs: this.policy.connectTimeoutMs,
        idleTimeoutMs: this.policy.idleTimeoutMs,
        signal: this.scope.signal,
      });
      if (REDIRECT_STATUSES.has(hop.status)) {
        hop.discard();
        if (redirects >= this.policy.maxRedirects) {
          throw new FetchError('too-many-redirects', FETCH_MESSAGES.tooManyRedirects(this.policy.maxRedirects), url.href);
        }
        const location = hop.headers.location;
        if (!location) throw new FetchError('bad-redirect', FETCH_MESSAGES.badRedirect, `${hop.status} without Location`);
        let next: URL;
        try {
          next = new URL(location, url); // a relative Location is relative to the URL that sent it
        } catch {
          throw new FetchError('bad-redirect', FETCH_MESSAGES.badRedirect, location);
        }
        url = checkUrl(next, this.policy);
        continue;
      }
      if (hop.status < 200 || hop.status > 299 || hop.status === 204 || hop.status === 206) {
        hop.discard();
        throw new FetchError('http-error', FETCH_MESSAGES.httpError(hop.status), url.href);
      }
      const type = hop.headers['content-type'];
      return new OpenedResponse(url, redirects, type ? type.trim() : null, parseContentLength(hop.headers['content-length']), hop);
    }
  }

  /**
   * Reads a small text body (a playlist) into memory, refusing at `maxBytes` with `tooLarge`. It does
   * not count towards the byte budget, which is for what lands in storage.
   */
  async readText(res: OpenedResponse, maxBytes: number, tooLarge: () => FetchError): Promise<string> {
    try {
      if (res.contentLength !== null && res.contentLength > maxBytes) throw tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      for (let chunk = await res.next(); chunk !== null; chunk = await res.next()) {
        size += chunk.length;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      res.discard();
      throw err;
    }
  }

  /** Declares the expected total for progress (single files with a Content-Length). */
  expectTotal(bytes: number | null): void {
    this.totalBytes = bytes;
  }

  /** Declares how many parts an HLS import has, so progress can say "segment 12 of 300". */
  expectSegments(count: number): void {
    this.segments = { done: 0, count };
    this.reportProgress();
  }

  /**
   * Streams a response body into the sink, counting every byte against the budget before writing it and
   * waiting for the sink when it asks (backpressure). The sink is not ended: several parts may follow.
   */
  async copyTo(res: OpenedResponse, sink: Writable): Promise<number> {
    let sinkError: Error | null = null;
    const onSinkError = (err: Error) => {
      sinkError = err;
      res.discard();
    };
    sink.on('error', onSinkError);
    let copied = 0;
    try {
      this.budget.checkDeclared(res.contentLength);
      for (let chunk = await res.next(); chunk !== null; chunk = await res.next()) {
        this.budget.take(chunk.length);
        this.keepHead(chunk);
        copied += chunk.length;
        if (!sink.write(chunk)) await once(sink, 'drain', { signal: this.scope.signal });
        this.reportProgress();
      }
      if (this.segments) this.segments.done++;
      this.reportProgress();
      return copied;
    } catch (err) {
      res.discard();
      throw sinkError ?? this.scope.failure ?? err;
    } finally {
      sink.off('error', onSinkError);
    }
  }

  /** Ends the sink and waits until it has flushed, then sends the final progress figure. */
  async finish(sink: Writable): Promise<void> {
    sink.end();
    if (!sink.writableFinished) await once(sink, 'finish', { signal: this.scope.signal });
    this.throttle.flush(this.progress());
  }

  close(): void {
    this.scope.dispose();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private keepHead(chunk: Buffer): void {
    if (this.headLength >= HEAD_BYTES) return;
    const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
    this.headChunks.push(Buffer.from(part));
    this.headLength += part.length;
  }

  private progress(): FetchProgress {
    return {
      bytes: this.budget.bytes,
      totalBytes: this.totalBytes,
      ...(this.segments ? { segmentsDone: this.segments.done, segmentCount: this.segments.count } : {}),
    };
  }

  private reportProgress(): void {
    this.throttle.report(this.progress());
  }
}
