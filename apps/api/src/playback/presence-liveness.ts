import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PresenceService } from './presence.service.js';
import { PresenceStore } from './presence.store.js';

/** Sockets counted out per atomic sweep step: one script never holds Redis for long. */
export const SWEEP_BATCH = 100;
/** Steps per tick at most; a larger dead process is finished on the next ticks. */
export const SWEEP_STEPS_PER_TICK = 20;

/**
 * Whether this process may sweep others: only once its own heartbeats have succeeded for a whole expiry.
 * After a Redis outage every process's heartbeat is old; waiting an expiry lets the live ones refresh
 * theirs before anyone takes them for dead.
 */
export function maySweep(healthySince: number | null, now: number, expiryMs: number): boolean {
  return healthySince !== null && now - healthySince >= expiryMs;
}

/**
 * Presence liveness (issue 10): a SIGKILLed API process never counts its sockets out. Every process
 * refreshes its heartbeat each PRESENCE_HEARTBEAT_MS; each tick, any live process counts out the sockets
 * of a process silent for PRESENCE_EXPIRY_MS (PresenceStore.sweep, atomic per step, so two sweepers
 * never count a socket out twice), and its clients see those people leave as ordinary versioned deltas.
 * A clean shutdown counts out this process's own sockets at once.
 */
@Injectable()
export class PresenceLiveness implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private healthySince: number | null = null;
  private ticking: Promise<void> = Promise.resolve();
  /** The clock (ms); specs drive it by hand. */
  now: () => number = Date.now;

  constructor(
    private readonly store: PresenceStore,
    private readonly presence: PresenceService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'presenceHeartbeatMs' | 'presenceExpiryMs'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => (this.ticking = this.tick().catch((err: unknown) => this.failed(err)));
    void run();
    this.timer = setInterval(() => void run(), this.config.presenceHeartbeatMs);
    this.timer.unref?.();
  }

  /** One heartbeat, then (when this process is trusted to judge) a bounded sweep of dead processes. */
  async tick(): Promise<void> {
    const registered = await this.store.heartbeat();
    this.healthySince ??= this.now();
    // Not registered: a fresh start (nothing to reclaim) or swept while alive: count our sockets in again.
    if (!registered) await this.presence.reclaim();
    if (!maySweep(this.healthySince, this.now(), this.config.presenceExpiryMs)) return;
    await this.sweep(false, SWEEP_STEPS_PER_TICK);
  }

  private async sweep(own: boolean, maxSteps: number): Promise<void> {
    for (let step = 0; step < maxSteps; step += 1) {
      const { removed, members } = await this.store.sweep({ expiryMs: this.config.presenceExpiryMs, limit: SWEEP_BATCH, own });
      this.presence.sweptOut(members);
      if (removed === 0) return;
    }
  }

  private failed(err: unknown): void {
    this.healthySince = null;
    this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'presence heartbeat failed');
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    // SIGTERM: our people leave now, not after an expiry; the sockets' own disconnects then change nothing.
    await this.sweep(true, Number.POSITIVE_INFINITY).catch((err: unknown) => this.failed(err));
    this.presence.flush();
  }
}
