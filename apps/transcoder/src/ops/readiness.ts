import { Injectable } from '@nestjs/common';
import { pingWhenReady } from '@reelroom/redis';
import { MediaStateRepository } from '../media/media-state.repository.js';
import { RedisConnections } from '../redis/redis-connections.js';

export interface DependencyCheck {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

/** Runs one check with a 2 s cap: a hung dependency is as unready as a refused one. */
export async function timedCheck(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<DependencyCheck> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - t0) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The transcoder is ready when PostgreSQL and Redis answer; the body names the one that does not. */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly db: MediaStateRepository,
    private readonly redis: RedisConnections,
  ) {}

  async check(): Promise<{ ok: boolean; body: Record<string, unknown> }> {
    const [database, redis] = await Promise.all([
      timedCheck(() => this.db.ping()),
      timedCheck(() => pingWhenReady(this.redis.open('health', 'fail-fast')), 2500),
    ]);
    const failed = [...(database.ok ? [] : ['database']), ...(redis.ok ? [] : ['redis'])];
    return failed.length
      ? { ok: false, body: { status: 'unready', failed, message: `Not ready: ${failed.join(' and ')} unreachable.`, database, redis } }
      : { ok: true, body: { status: 'ready', database, redis } };
  }
}
