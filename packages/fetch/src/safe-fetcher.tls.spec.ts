import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafeFetcher } from './safe-fetcher.js';
import { FakeResolver } from './test-support/fake-resolver.js';
import { fetchErrorOf } from './test-support/fetch-error-of.js';
import { MemorySink } from './test-support/memory-sink.js';
import { serve } from './test-support/routes.js';
import { TestHttpServer } from './test-support/test-http-server.js';

// A self-signed certificate for the name media.test (test fixture, valid until 2126).
const cert = readFileSync(new URL('./test-support/tls/media.test.cert.pem', import.meta.url), 'utf8');
const key = readFileSync(new URL('./test-support/tls/media.test.key.pem', import.meta.url), 'utf8');

describe('SafeFetcher over TLS: connect to the checked address, verify the certificate against the name', () => {
  let server: TestHttpServer;
  let silent: Server;
  let silentPort: number;
  const held = new Set<Socket>();
  const dns = new FakeResolver({ 'media.test': [['127.0.0.1']], 'other.test': [['127.0.0.1']] });
  const fetcher = (trustedCa?: string, connectTimeoutMs = 5_000) =>
    new SafeFetcher(
      {
        allowedPorts: [server.port, silentPort],
        connectTimeoutMs,
        testOnly: { allowAddresses: ['127.0.0.1'], ...(trustedCa ? { trustedCa } : {}) },
      },
      { resolver: dns },
    );

  beforeAll(async () => {
    server = await TestHttpServer.start(
      '127.0.0.1',
      { '/film.mp4': serve('secure bytes', { 'content-type': 'video/mp4' }) },
      { tls: { key, cert } },
    );
    // Accepts TCP and never says a word: a TLS handshake that never finishes.
    silent = createServer((s) => {
      held.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await server.close();
  });

  it('fetches https from the pinned address with SNI and verification for the host name', async () => {
    const sink = new MemorySink();
    const r = await fetcher(cert).download(server.url('/film.mp4', 'media.test'), sink, { maxBytes: 1024 });
    expect(sink.content.toString()).toBe('secure bytes');
    expect(r.url).toBe(server.url('/film.mp4', 'media.test'));
  });

  it('refuses a certificate nobody vouches for', async () => {
    const e = await fetchErrorOf(fetcher().download(server.url('/film.mp4', 'media.test'), new MemorySink(), { maxBytes: 1024 }));
    expect(e).toMatchObject({ code: 'tls-failed', userMessage: "The server's security certificate is not valid." });
  });

  it('refuses a valid certificate for another name (the name is checked, not the address)', async () => {
    const e = await fetchErrorOf(fetcher(cert).download(server.url('/film.mp4', 'other.test'), new MemorySink(), { maxBytes: 1024 }));
    expect(e.code).toBe('tls-failed');
    expect(e.detail).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('gives up on a handshake that never finishes (connect timeout)', async () => {
    const e = await fetchErrorOf(
      fetcher(cert, 150).download(`https://media.test:${silentPort}/film.mp4`, new MemorySink(), { maxBytes: 1024 }),
    );
    expect(e).toMatchObject({ code: 'connect-timeout', userMessage: 'The server did not answer in time.' });
  });
});
