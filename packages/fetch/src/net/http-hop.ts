import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { FETCH_MESSAGES } from '../fetch-messages.js';
import { FetchError } from '../fetch.error.js';
import { Watchdog } from '../transfer/watchdog.js';
import type { Destination } from './destination.js';
import { pinnedRequestOptions } from './pinned-request.js';

export interface HopOptions {
  headers: Record<string, string>;
  agent: HttpAgent | HttpsAgent;
  trustedCa?: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** The call's signal (total timeout or cancel); its reason is the FetchError to report. */
  signal: AbortSignal;
}

/** One response whose body is read chunk by chunk, with the idle timer running only while we wait. */
export interface HopResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The next chunk of the body, or null at its end. */
  read(): Promise<Buffer | null>;
  /** Drops the response and its connection (redirects, refusals, errors). */
  discard(): void;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL/;

/** Turns what node's http client throws into our error; `duringBody` decides "could not connect" vs "lost". */
export function networkError(err: unknown, duringBody: boolean): FetchError {
  if (err instanceof FetchError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const detail = `${code} ${e?.message ?? String(err)}`.trim();
  if (TLS_CODES.test(code)) return new FetchError('tls-failed', FETCH_MESSAGES.tlsFailed, detail);
  if (code.startsWith('HPE_')) return new FetchError('bad-response', FETCH_MESSAGES.badResponse, detail);
  if (duringBody) return new FetchError('connection-lost', FETCH_MESSAGES.connectionLost, detail);
  return new FetchError('connection-failed', FETCH_MESSAGES.connectionFailed, detail);
}

/**
 * Sends one GET to the checked address of `dest` and resolves with the response head. Follows nothing:
 * redirects are the caller's decision. Connect timeout covers TCP and TLS; the idle timeout covers the wait
 * for the response head and, in read(), for each body chunk.
 */
export function openHop(dest: Destination, options: HopOptions): Promise<HopResponse> {
  return new Promise<HopResponse>((resolve, reject) => {
    const tls = dest.url.protocol === 'https:';
    let failure: FetchError | null = null;
    let responded = false;
    const request = (tls ? httpsRequest : httpRequest)(
      pinnedRequestOptions(dest, { headers: options.headers, agent: options.agent, trustedCa: options.trustedCa }),
    );
    const fail = (error: FetchError) => {
      failure ??= error;
      request.destroy(error);
    };
    const connectTimer = new Watchdog(options.connectTimeoutMs, () =>
      fail(new FetchError('connect-timeout', FETCH_MESSAGES.connectTimeout, `${dest.address}:${dest.port}`)),
    );
    const idle = new Watchdog(options.idleTimeoutMs, () => fail(new FetchError('idle-timeout', FETCH_MESSAGES.idleTimeout)));
    const onAbort = () =>
      fail(options.signal.reason instanceof FetchError ? options.signal.reason : new FetchError('cancelled', FETCH_MESSAGES.cancelled));
    const cleanup = () => {
      connectTimer.disarm();
      idle.disarm();
      options.signal.removeEventListener('abort', onAbort);
    };

    request.on('socket', (socket: Socket) => {
      if (!socket.connecting) return idle.arm(); // a kept-alive socket of this call
      connectTimer.arm();
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        connectTimer.disarm();
        idle.arm();
      });
    });
    // Stays attached for the whole exchange: an 'error' without a listener would crash the process, and a
    // server that sends garbage after a complete response makes node report a parse error late.
    request.on('error', (err) => {
      cleanup();
      if (!responded) reject(failure ?? networkError(err, false));
    });
    request.on('response', (res: IncomingMessage) => {
      responded = true;
      idle.disarm();
      const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        async read() {
          if (failure) throw failure;
          idle.arm();
          try {
            const next = await chunks.next();
            if (next.done) {
              cleanup();
              return null;
            }
            return next.value;
          } catch (err) {
            cleanup();
            throw failure ?? networkError(err, true);
          } finally {
            idle.disarm();
          }
        },
        discard() {
          cleanup();
          res.destroy();
          request.destroy();
        },
      });
    });

    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}
