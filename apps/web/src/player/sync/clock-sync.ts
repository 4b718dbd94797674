import { ClockEstimator, clockSample } from '@reelroom/sync';
import type { Cancel, Scheduler } from './scheduler';
import type { SyncDebug, SyncTransport } from './sync-types';

/** Samples kept; the one with the smallest round trip wins (ClockEstimator). */
const SAMPLES = 8;
/** Pings at start, one after the other, to find a fast round trip quickly. */
const START_BURST = 6;
/** Then one ping this often, so the estimate follows clock drift and changing networks. */
const EVERY_MS = 30_000;

/**
 * This page's estimate of the server clock (NTP-style time:ping, @reelroom/sync ClockEstimator). Every
 * scheduled start and every expected position is computed in server time through `serverNow()`.
 */
export class ClockSync {
  private readonly estimator = new ClockEstimator(SAMPLES);
  private cancelEvery: Cancel | null = null;
  private running = false;

  constructor(
    private readonly deps: {
      ping: SyncTransport['ping'];
      scheduler: Scheduler;
      debug: SyncDebug;
      /** A round of pings finished: "now" may have moved, so a pending scheduled start is re-planned. */
      improved(): void;
    },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.round(START_BURST);
    this.cancelEvery = this.deps.scheduler.every(EVERY_MS, () => void this.round(1));
  }

  stop(): void {
    this.running = false;
    this.cancelEvery?.();
    this.cancelEvery = null;
  }

  serverNow(): number {
    return this.estimator.serverNow(this.deps.scheduler.now());
  }

  private async round(pings: number): Promise<void> {
    const { scheduler, debug } = this.deps;
    for (let i = 0; i < pings; i++) {
      try {
        const t0 = scheduler.now();
        const reply = await this.deps.ping(t0, this.estimator.best?.rttMs ?? null);
        if (!this.running) return;
        this.estimator.add(clockSample(t0, reply.serverTime, scheduler.now()));
        debug.offsetMs = this.estimator.best?.offsetMs ?? 0;
        debug.rttMs = this.estimator.best?.rttMs ?? 0;
      } catch {
        return; // offline or unanswered: the next round tries again
      }
    }
    if (this.running) this.deps.improved();
  }
}
