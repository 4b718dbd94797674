import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PrismaService } from '../prisma/prisma.service.js';
import { TranscodeQueue, type QueueCounts } from '../queue/transcode.queue.js';
import { ShutdownState } from './shutdown-state.js';

interface Check {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

const timed = async (fn: () => Promise<unknown>): Promise<Check> => {
  const t0 = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 2.5 s')), 2500))]);
    return { ok: true, latencyMs: Math.round(performance.now() - t0) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
};

/**
 * GET /api/health: liveness and dependencies in one call (200 when database and Redis answer, 503 otherwise).
 * GET /api/health/live: the process answers (a liveness probe: restart it when this fails).
 * GET /api/health/ready: database and Redis answer and the process is not shutting down (a readiness probe:
 * send no traffic while 503; the body names why).
 */
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly producer: TranscodeQueue,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    // First thing on SIGTERM (graceful-shutdown.ts): out of rotation while everything still works.
    if (this.shutdown.shuttingDown) {
      res.status(503);
      return { status: 'shutting-down', message: 'Not ready: this process is shutting down; its clients move to another one.' };
    }
    const [database, redis] = await this.dependencies();
    const failed = [...(database.ok ? [] : ['database']), ...(redis.ok ? [] : ['redis'])];
    res.status(failed.length ? 503 : 200);
    return failed.length
      ? { status: 'unready', failed, message: `Not ready: ${failed.join(' and ')} unreachable.`, database, redis }
      : { status: 'ready', database, redis };
  }

  private dependencies() {
    return Promise.all([timed(() => this.prisma.client.$queryRaw`SELECT 1`), timed(() => this.producer.ping())]);
  }

  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await this.dependencies();
    let queue: (QueueCounts & { ok: true }) | Check;
    try {
      queue = redis.ok ? { ok: true, ...(await this.producer.counts()) } : { ok: false, error: 'redis unavailable' };
    } catch (err) {
      queue = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const ok = database.ok && redis.ok;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database, redis, queue };
  }
}
