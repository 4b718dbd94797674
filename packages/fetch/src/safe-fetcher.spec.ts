import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_MESSAGES } from './fetch-messages.js';
import type { FetchPolicy } from './policy/fetch-policy.js';
import { SafeFetcher } from './safe-fetcher.js';
import { countClientSockets } from './test-support/client-sockets.js';
import { FakeResolver } from './test-support/fake-resolver.js';
import { fetchErrorOf } from './test-support/fetch-error-of.js';
import { MemorySink } from './test-support/memory-sink.js';
import { pattern, raw, redirect, serve, streamChunked, writeWithBackpressure } from './test-support/routes.js';
import { TestHttpServer } from './test-support/test-http-server.js';
import type { FetchProgress } from './transfer/progress-throttle.js';

const MiB = 1024 * 1024;
const FILE = pattern(256 * 1024);

describe('SafeFetcher against local servers (test allowance: 127.0.0.1 only)', () => {
  let server: TestHttpServer;
  let policy: Partial<FetchPolicy>;
  const fetcher = (over: Partial<FetchPolicy> = {}, resolver = new FakeResolver({})) =>
    new SafeFetcher({ ...policy, ...over }, { resolver });

  beforeAll(async () => {
    server = await TestHttpServer.start('127.0.0.1', {
      '/file': serve(FILE, { 'content-type': 'video/mp4' }),
      '/page': serve('<!doctype html><html><body>Not a video</body></html>', { 'content-type': 'text/html; charset=utf-8' }),
      '/gone': (_req, res) => void res.writeHead(404).end('nope'),
      // 5 redirects, each Location written differently: relative, absolute path, absolute URL, scheme-relative, dot-dot.
      '/r/0': redirect('1'),
      '/r/1': redirect('2', 301),
      '/r/2': redirect('/r/3', 303),
      '/r/3': (req, res) => void res.writeHead(307, { location: `http://127.0.0.1:${req.socket.localPort}/r/4` }).end(),
      '/r/4': (req, res) => void res.writeHead(308, { location: `//127.0.0.1:${req.socket.localPort}/r/5` }).end(),
      '/r/5': redirect('../file'),
      '/no-location': (_req, res) => void res.writeHead(302).end(),
      '/lying-length': raw('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 10\r\n\r\n', 10 * MiB),
      '/declared-big': (_req, res) => {
        res.writeHead(200, { 'content-length': String(2 * MiB) });
        writeWithBackpressure(res, 2 * MiB);
      },
      '/chunked-big': streamChunked(10 * MiB),
      '/close-delimited-big': raw('HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n', 10 * MiB),
      '/short-body': (req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write(pattern(500), () => req.socket.destroy());
      },
      '/stall-head': () => {}, // never answers
      '/stall-body': (_req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('abc'); // then silence
      },
      '/dribble': (_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp4' });
        const t = setInterval(() => res.write('x'), 10);
        res.on('close', () => clearInterval(t));
      },
      '/endless': streamChunked(Number.MAX_SAFE_INTEGER),
    });
    policy = { allowedPorts: [server.port], testOnly: { allowAddresses: ['127.0.0.1'] }, idleTimeoutMs: 5_000, connectTimeoutMs: 5_000 };
  });
  afterAll(() => server.close());

  it('streams a file into the sink and reports type, size and the first bytes', async () => {
    const sink = new MemorySink();
    const r = await fetcher().download(server.url('/file'), sink, { maxBytes: MiB });
    expect(sink.content.equals(FILE)).toBe(true);
    expect(sink.writableFinished).toBe(true);
    expect(r).toMatchObject({ url: server.url('/file'), redirects: 0, contentType: 'video/mp4', bytes: FILE.length });
    expect(r.head.equals(FILE.subarray(0, 4096))).toBe(true);
  });

  it('hands an HTML page to the caller with its type and first bytes, for the sniffer to refuse', async () => {
    const sink = new MemorySink();
    const r = await fetcher().download(server.url('/page'), sink, { maxBytes: MiB });
    expect(r.contentType).toBe('text/html; charset=utf-8');
    expect(r.head.toString()).toMatch(/^<!doctype html>/);
  });

  it('reports progress with the declared total, rising, ending at the full size', async () => {
    const seen: FetchProgress[] = [];
    await fetcher({ progressIntervalMs: 0 }).download(server.url('/file'), new MemorySink(), {
      maxBytes: MiB,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1].bytes)).toBe(true);
    expect(seen.at(-1)).toEqual({ bytes: FILE.length, totalBytes: FILE.length });
  });

  describe('redirects', () => {
    it('follows 5 redirects by hand, each Location resolved against the URL that sent it', async () => {
      const before = server.paths.length;
      const r = await fetcher().download(server.url('/r/1'), new MemorySink(), { maxBytes: MiB });
      expect(r).toMatchObject({ url: server.url('/file'), redirects: 5, bytes: FILE.length });
      expect(server.paths.slice(before)).toEqual(['/r/1', '/r/2', '/r/3', '/r/4', '/r/5', '/file']);
    });

    it('refuses a 6th redirect without following it', async () => {
      const before = server.paths.length;
      const e = await fetchErrorOf(fetcher().download(server.url('/r/0'), new MemorySink(), { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'too-many-redirects', userMessage: 'The link redirects too many times (more than 5).' });
      expect(server.paths.slice(before)).toEqual(['/r/0', '/r/1', '/r/2', '/r/3', '/r/4', '/r/5']);
    });

    it('honours a configured maximum', async () => {
      const e = await fetchErrorOf(fetcher({ maxRedirects: 1 }).download(server.url('/r/4'), new MemorySink(), { maxBytes: MiB }));
      expect(e.code).toBe('too-many-redirects');
    });

    it('refuses a redirect without a Location', async () => {
      const e = await fetchErrorOf(fetcher().download(server.url('/no-location'), new MemorySink(), { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'bad-redirect', userMessage: FETCH_MESSAGES.badRedirect });
    });
  });

  it('refuses an HTTP error status with a sentence', async () => {
    const e = await fetchErrorOf(fetcher().download(server.url('/gone'), new MemorySink(), { maxBytes: MiB }));
    expect(e).toMatchObject({
      code: 'http-error',
      userMessage: 'The server answered with an error (HTTP 404) instead of sending the file.',
    });
  });

  describe('size', () => {
    it('takes no more than the declared 10 bytes when a server declares 10 and sends 10 MB', async () => {
      const sink = new MemorySink();
      const r = await fetcher().download(server.url('/lying-length'), sink, { maxBytes: MiB });
      expect(r.bytes).toBe(10);
      expect(sink.bytes).toBe(10);
    });

    it('refuses before reading when the declared length is over the limit', async () => {
      const sink = new MemorySink();
      const e = await fetchErrorOf(fetcher().download(server.url('/declared-big'), sink, { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'too-large', userMessage: 'The file is larger than 1 MiB, the upload limit.' });
      expect(sink.bytes).toBe(0);
    });

    it.each(['/chunked-big', '/close-delimited-big'])('stops %s (no Content-Length) at the limit while streaming', async (path) => {
      const sink = new MemorySink();
      const e = await fetchErrorOf(fetcher().download(server.url(path), sink, { maxBytes: MiB, limitReason: 'quota' }));
      expect(e).toMatchObject({ code: 'too-large', userMessage: 'The file is larger than 1 MiB, the space left in your storage quota.' });
      expect(sink.bytes).toBeLessThanOrEqual(MiB);
      expect(sink.writableEnded).toBe(false);
    });

    it('says the connection was lost when the body is shorter than declared', async () => {
      const e = await fetchErrorOf(fetcher().download(server.url('/short-body'), new MemorySink(), { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'connection-lost', userMessage: 'The connection closed before the whole file arrived.' });
    });
  });

  describe('time', () => {
    it('gives up on a server that never answers (idle timeout before the head)', async () => {
      const e = await fetchErrorOf(
        fetcher({ idleTimeoutMs: 100 }).download(server.url('/stall-head'), new MemorySink(), { maxBytes: MiB }),
      );
      expect(e).toMatchObject({ code: 'idle-timeout', userMessage: 'The server stopped sending data.' });
    });

    it('gives up on a server that stops sending (idle timeout in the body)', async () => {
      const sink = new MemorySink();
      const e = await fetchErrorOf(fetcher({ idleTimeoutMs: 100 }).download(server.url('/stall-body'), sink, { maxBytes: MiB }));
      expect(e.code).toBe('idle-timeout');
      expect(sink.content.toString()).toBe('abc');
    });

    it('gives up on a server that sends too slowly for too long (total timeout)', async () => {
      const e = await fetchErrorOf(fetcher({ totalTimeoutMs: 300 }).download(server.url('/dribble'), new MemorySink(), { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'total-timeout', userMessage: 'The download took too long (more than 1 s).' });
    });

    it('does not count a slow sink as a silent server', async () => {
      // The first write holds the stream for 3 idle timeouts. The server has sent everything by then, so
      // only a timer left running during the wait could fail this.
      const sink = new MemorySink(750);
      const r = await fetcher({ idleTimeoutMs: 250 }).download(server.url('/file'), sink, { maxBytes: MiB });
      expect(r.bytes).toBe(FILE.length);
    });

    it('stops when the caller cancels', async () => {
      const cancel = new AbortController();
      const sink = new MemorySink();
      const e = await fetchErrorOf(
        fetcher({ progressIntervalMs: 0 }).download(server.url('/endless'), sink, {
          maxBytes: 1024 * MiB,
          signal: cancel.signal,
          onProgress: () => cancel.abort(),
        }),
      );
      expect(e).toMatchObject({ code: 'cancelled', userMessage: 'The import was cancelled.' });
      expect(sink.bytes).toBeLessThan(MiB);
    });
  });

  it("passes the sink's own error through", async () => {
    const sink = new MemorySink();
    sink._write = (_chunk, _enc, cb) => cb(new Error('disk full'));
    await expect(fetcher().download(server.url('/file'), sink, { maxBytes: MiB })).rejects.toThrow('disk full');
  });

  it('connects to the checked address, not to a second DNS answer (DNS rebinding)', async () => {
    // The name answers 127.0.0.1 (allowed here) first and 127.0.0.2 (loopback, refused) afterwards.
    // A server listens on each; only the checked one may ever see a connection.
    const rebound = await TestHttpServer.start('127.0.0.2', { '/file': serve('from the private side') }, { port: server.port });
    try {
      const dns = new FakeResolver({ 'rebind.test': [['127.0.0.1'], ['127.0.0.2']] });
      const f = fetcher({}, dns);
      const before = server.connections;
      const sink = new MemorySink();
      await f.download(`http://rebind.test:${server.port}/file`, sink, { maxBytes: MiB });
      expect(sink.content.equals(FILE)).toBe(true);
      expect(dns.calls).toEqual(['rebind.test']);
      expect(server.connections - before).toBe(1);
      expect(rebound.connections).toBe(0);
      // The next look-up gives the private answer: refused, still no connection there.
      const e = await fetchErrorOf(f.download(`http://rebind.test:${server.port}/file`, new MemorySink(), { maxBytes: MiB }));
      expect(e.code).toBe('forbidden-address');
      expect(rebound.connections).toBe(0);
    } finally {
      await rebound.close();
    }
  });

  it('refuses a name with one allowed and one private address, and connects nowhere', async () => {
    const sockets = countClientSockets();
    try {
      const dns = new FakeResolver({ 'mixed.test': [['127.0.0.1', '10.1.2.3']] });
      const e = await fetchErrorOf(fetcher({}, dns).download(`http://mixed.test:${server.port}/file`, new MemorySink(), { maxBytes: MiB }));
      expect(e).toMatchObject({ code: 'forbidden-address', userMessage: 'That address is on a private network.' });
      expect(sockets.count).toBe(0);
    } finally {
      sockets.stop();
    }
  });
});

describe('SafeFetcher with the default address policy: redirects into the private network', () => {
  // The origin listens on 127.0.0.2, the only address the test allowance lets through; everything else
  // (127.0.0.1, 169.254.169.254, ...) is judged by the default rules.
  let origin: TestHttpServer;
  let target: TestHttpServer;
  let fetcher: SafeFetcher;

  beforeAll(async () => {
    target = await TestHttpServer.start('127.0.0.1', { '/secret': serve('internal') });
    const to = (location: string) => redirect(location.replace('PORT', String(target.port)));
    origin = await TestHttpServer.start('127.0.0.2', {
      '/to-loopback': to('http://127.0.0.1:PORT/secret'),
      '/to-metadata': to('http://169.254.169.254:PORT/latest/meta-data/'),
      '/to-metadata-name': to('http://metadata.test:PORT/latest/meta-data/'),
      '/to-decimal': to('http://2130706433:PORT/secret'),
      '/to-octal': to('http://0177.0.0.1:PORT/secret'),
      '/to-ipv6-loopback': to('http://[::1]:PORT/secret'),
      '/to-mapped': to('http://[::ffff:127.0.0.1]:PORT/secret'),
      '/to-localhost': to('http://localhost:PORT/secret'),
      '/to-file': to('file:///etc/passwd'),
      '/to-credentials': to('http://user:pw@127.0.0.2:PORT/secret'),
      '/to-other-port': redirect('http://127.0.0.2:1/secret'),
    });
    const resolver = new FakeResolver({ 'metadata.test': [['169.254.169.254']], localhost: [['127.0.0.1', '::1']] });
    fetcher = new SafeFetcher({ allowedPorts: [origin.port, target.port], testOnly: { allowAddresses: ['127.0.0.2'] } }, { resolver });
  });
  afterAll(async () => {
    await origin.close();
    await target.close();
  });

  it.each([
    ['/to-loopback', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-metadata', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-metadata-name', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-decimal', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-octal', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-ipv6-loopback', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-mapped', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-localhost', 'forbidden-address', FETCH_MESSAGES.forbiddenAddress],
    ['/to-file', 'unsupported-scheme', FETCH_MESSAGES.unsupportedScheme],
    ['/to-credentials', 'credentials-in-url', FETCH_MESSAGES.credentialsInUrl],
    ['/to-other-port', 'port-not-allowed', 'Only links on the usual web ports can be added (ports ORIGIN and TARGET).'],
  ])('refuses the redirect %s with "%s" and no connection reaches the target', async (path, code, sentence) => {
    const sockets = countClientSockets();
    try {
      const sink = new MemorySink();
      const e = await fetchErrorOf(fetcher.download(origin.url(path), sink, { maxBytes: MiB }));
      expect(e.code).toBe(code);
      expect(e.userMessage).toBe(sentence.replace('ORIGIN', String(origin.port)).replace('TARGET', String(target.port)));
      expect(sockets.count).toBe(1); // the origin, nothing else
      expect(target.connections).toBe(0);
      expect(target.paths).toEqual([]);
      expect(sink.bytes).toBe(0);
    } finally {
      sockets.stop();
    }
  });

  it('refuses the loopback address itself with the default policy', async () => {
    const e = await fetchErrorOf(fetcher.download(target.url('/secret'), new MemorySink(), { maxBytes: MiB }));
    expect(e.code).toBe('forbidden-address');
    expect(target.connections).toBe(0);
  });
});
