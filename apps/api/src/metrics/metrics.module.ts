import { Global, Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module.js';
import { ApiMetrics } from './api-metrics.js';
import { LiveCounts } from './live-counts.js';
import { MetricsController } from './metrics.controller.js';

/**
 * Prometheus metrics for this API process (GET /metrics). Global: the socket layer and the HTTP
 * middleware record into the one ApiMetrics.
 */
@Global()
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [ApiMetrics, LiveCounts],
  exports: [ApiMetrics],
})
export class MetricsModule {}
