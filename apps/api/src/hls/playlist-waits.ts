import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LL_PLAYLIST_CHANNEL } from '@reelroom/contracts';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';

/**
 * Where held LL-HLS playlist requests wait for the next rewrite of their playlist. The transcoder names
 * each playlist it rewrites on a Redis channel (LL_PLAYLIST_CHANNEL), so every API process hears it, and
 * `changed(key, ms)` resolves at the next ring for that key, or after `ms` at the latest: the caller
 * re-reads the store either way, so a lost message costs a little latency, never a wrong answer.
 */
@Injectable()
export class PlaylistWaits implements OnModuleDestroy {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly channel: string;
  private subscribed: Promise<void> | undefined;

  constructor(
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.channel = connections.key(LL_PLAYLIST_CHANNEL);
  }

  /** Resolves at the next rewrite of `key` or after `ms`, whichever comes first. */
  async changed(key: string, ms: number): Promise<void> {
    await this.subscribe();
    await new Promise<void>((resolve) => {
      const set = this.waiting.get(key) ?? new Set<() => void>();
      this.waiting.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  /** How many requests wait right now (metrics and tests). */
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
