import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LL_PLAYLIST_CHANNEL } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import { RedisConnections } from '../redis/redis-connections.js';
import type { ChangeLatch } from './blocking-reload.js';

/**
 * Where held LL-HLS playlist requests wait for the next rewrite of their playlist. The transcoder names
 * each playlist it rewrites on a Redis channel (LL_PLAYLIST_CHANNEL), so every API process hears it, and
 * `nextChange(key)` listens for the next ring for that key and its `wait(ms)` resolves at it, or after `ms` at
 * the latest: the caller re-reads the store either way, so a lost message costs a little latency, never a wrong answer.
 */
@Injectable()
export class PlaylistWaits implements OnModuleDestroy {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly channel: string;
  private subscribed: Promise<void> | undefined;

  constructor(
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: ApiMetrics,
  ) {
    this.channel = connections.key(LL_PLAYLIST_CHANNEL);
    metrics.reportHeldRequestsWith(() => this.size);
  }

  /**
   * Listens for the next rewrite of `key` from now on: `wait(ms)` resolves at once if it came already, else
   * at that rewrite or after `ms`. The caller reads the store after this, so no rewrite falls in between.
   */
  async nextChange(key: string): Promise<ChangeLatch> {
    await this.subscribe();
    const set = this.waiting.get(key) ?? new Set<() => void>();
    this.waiting.set(key, set);
    let rung = false;
    let wake: (() => void) | undefined;
    const ring = () => {
      rung = true;
      wake?.();
    };
    set.add(ring);
    return {
      wait: (ms) =>
        rung
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const timer = setTimeout(() => wake?.(), ms);
              wake = () => {
                clearTimeout(timer);
                wake = undefined;
                resolve();
              };
            }),
      cancel: () => {
        set.delete(ring);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
        wake?.();
      },
    };
  }

  /** How many requests wait right now (reelroom_hls_held_requests). */
  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }

  /** The subscriber connection is opened by the first held request: most API processes never serve a low-latency live. */
  private subscribe(): Promise<void> {
    this.subscribed ??= (async () => {
      const subscriber = this.connections.connection('ll-playlists', 'subscriber');
      subscriber.on('message', (channel: string, key: string) => {
        if (channel !== this.channel) return;
        for (const wake of [...(this.waiting.get(key) ?? [])]) wake();
      });
      await subscriber.subscribe(this.channel);
    })().catch((err: unknown) => {
      // Without the channel the waits fall back to their timeouts (re-reads); try again with the next request.
      this.logger.warn({ err }, 'could not subscribe to LL-HLS playlist changes');
      this.subscribed = undefined;
    });
    return this.subscribed;
  }

  async onModuleDestroy(): Promise<void> {
    for (const set of this.waiting.values()) for (const wake of [...set]) wake();
    if (this.subscribed)
      await this.connections
        .connection('ll-playlists', 'subscriber')
        .unsubscribe(this.channel)
        .catch(() => undefined);
  }
}
