import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { metricsScrapeAllowed } from '@reelroom/contracts';
import { LOGGER, TRANSCODER_CONFIG, type TranscoderConfig } from '../config/config.js';
import { ReadinessChecks } from './readiness.js';
import { TranscoderMetrics } from './transcoder-metrics.js';

/** How many ports above TRANSCODER_HTTP_PORT a transcoder tries when its port is taken. */
export const PORT_FALLBACKS = 15;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

/**
 * The transcoder's small HTTP listener (TRANSCODER_HTTP_PORT on TRANSCODER_HTTP_HOST, loopback by default):
 * GET /metrics (Prometheus text; METRICS_TOKEN as for the API), /health/live and /health/ready. Nothing
 * else: it is for probes and scrapers, not people. node:http, no framework: four answers do not need one.
 */
@Injectable()
export class OpsServer implements OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    @Inject(TRANSCODER_CONFIG) private readonly config: TranscoderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: TranscoderMetrics,
    private readonly readiness: ReadinessChecks,
  ) {}

  /**
   * Starts listening; resolves with the bound port (useful with port 0), or null when off (-1) or no port
   * was free. Several transcoders on one host (a bare-metal box, `npm run up` with more workers) would all
   * want the default port: a taken port falls back to the next ones (up to PORT_FALLBACKS above it), so
   * copies on one host listen on 9464, 9465, ... in start order (scrape that range), and the line says
   * which one this process got. In containers (compose, Kubernetes) each copy has its own 9464.
   */
  async listen(): Promise<number | null> {
    const { port, host } = this.config.http;
    if (port < 0) return null;
    const candidates = port === 0 ? [0] : Array.from({ length: PORT_FALLBACKS + 1 }, (_, i) => port + i).filter((p) => p <= 65535);
    let lastError = '';
    for (const candidate of candidates) {
      const server = createServer((req, res) => void this.handle(req, res));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(candidate, host, () => resolve());
        });
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
        continue;
      }
      this.server = server;
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : candidate;
      if (candidate !== port)
        this.logger.warn({ port: bound, wanted: port, host }, `port ${port} was taken: metrics and health listening on ${bound} instead`);
      else this.logger.info({ port: bound, host }, 'metrics and health listening');
      return bound;
    }
    // Still transcodes; says why it has no probes.
    this.logger.error(
      { err: lastError, port, host },
      'metrics and health listener could not start; set TRANSCODER_HTTP_PORT to a free port (0: any) or -1 to turn it off',
    );
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { statusCode: 405, message: 'Only GET is allowed here.' });
      if (path === '/health/live') return json(res, 200, { status: 'ok' });
      if (path === '/health/ready') {
        const r = await this.readiness.check();
        return json(res, r.ok ? 200 : 503, r.body);
      }
      if (path === '/metrics') {
        if (!metricsScrapeAllowed(this.config.metricsToken, req.headers.authorization)) {
          return json(res, 401, {
            statusCode: 401,
            message: 'This endpoint needs the metrics token (Authorization: Bearer <METRICS_TOKEN>).',
          });
        }
        const text = await this.metrics.text();
        res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
        return void res.end(text);
      }
      json(res, 404, { statusCode: 404, message: 'Not found: this listener serves /metrics, /health/live and /health/ready.' });
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'ops request failed');
      if (!res.headersSent) json(res, 500, { statusCode: 500, message: 'Something went wrong on our side.' });
      else res.destroy();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
