import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { TranscoderConfig } from '../config/config.js';
import type { ReadinessChecks } from './readiness.js';
import type { TranscoderMetrics } from './transcoder-metrics.js';
import { OpsServer, PORT_FALLBACKS } from './ops-server.js';

const occupied: Server[] = [];
const started: OpsServer[] = [];

/** Holds a loopback port, as another transcoder on the same host would. */
async function occupy(port = 0): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve());
  });
  occupied.push(s);
  const a = s.address();
  return typeof a === 'object' && a ? a.port : port;
}

function opsServer(port: number) {
  const lines: { level: number; msg: string; port?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as (typeof lines)[number]) });
  const config = { http: { port, host: '127.0.0.1' }, metricsToken: undefined } as unknown as TranscoderConfig;
  // listen() touches neither: they answer requests.
  const server = new OpsServer(config, logger, {} as TranscoderMetrics, {} as ReadinessChecks);
  started.push(server);
  return { server, lines };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.onApplicationShutdown()));
  await Promise.all(occupied.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe(OpsServer.name, () => {
  it('takes the next free port when its own is taken, and says which', async () => {
    const taken = await occupy();
    const { server, lines } = opsServer(taken);
    const bound = await server.listen();
    expect(bound).toBeGreaterThan(taken);
    expect(bound).toBeLessThanOrEqual(taken + PORT_FALLBACKS);
    const warning = lines.find((l) => l.level === 40);
    expect(warning?.port).toBe(bound);
    expect(warning?.msg).toContain(`port ${taken} was taken`);
  });

  it('listens on its own port when free, and on any port with 0', async () => {
    const free = await occupy();
    await new Promise((r) => occupied.pop()!.close(r));
    expect(await opsServer(free).server.listen()).toBe(free);
    expect(await opsServer(0).server.listen()).toBeGreaterThan(0);
    expect(await opsServer(-1).server.listen()).toBeNull();
  });
});
