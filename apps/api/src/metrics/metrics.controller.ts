import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { metricsScrapeAllowed } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../common/logger.js';
import { QueueAdmin } from '../queue/queue-admin.js';
import { ApiMetrics } from './api-metrics.js';
import { LiveCounts } from './live-counts.js';

/**
 * GET /metrics (root, as Prometheus expects; not under /api): Prometheus text. Queue depths and ages and
 * the lives in progress are read now, at scrape time, so they are never stale. A source that fails
 * (Redis or PostgreSQL down) keeps its last values and the scrape still answers.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    private readonly queues: QueueAdmin,
    private readonly lives: LiveCounts,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'metricsToken'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!metricsScrapeAllowed(this.config.metricsToken, authorization)) {
      throw new UnauthorizedException('This endpoint needs the metrics token (Authorization: Bearer <METRICS_TOKEN>).');
    }
    const [queues, lives] = await Promise.allSettled([this.queues.overview(), this.lives.byState()]);
    if (queues.status === 'fulfilled') this.metrics.setQueues(queues.value);
    else this.logger.warn({ err: String(queues.reason) }, 'metrics: queue counts unavailable');
    if (lives.status === 'fulfilled') this.metrics.setLiveStreams(lives.value);
    else this.logger.warn({ err: String(lives.reason) }, 'metrics: live counts unavailable');
    res.setHeader('Content-Type', this.metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await this.metrics.text());
  }
}
