import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { RedisConnections } from '../redis/redis-connections.js';

/**
 * Tells the other API processes that a stream key changed (created, rotated, disabled), so each reloads
 * its in-memory key map at once instead of at its next periodic refresh. RTMP publish events are
 * synchronous, so the key map must already be right when OBS connects to whichever process it reaches:
 * without the bell, a key made through one process was refused by another for up to KEY_REFRESH_MS.
 * Only the fact travels (no key, no hash); each process re-reads the database, which stays the truth.
 */
export abstract class KeyBell {
  abstract ring(): void;
  /** Calls `changed` when another process rings; resolves once listening. */
  abstract listen(changed: () => void): Promise<void>;
}

/** One process alone (unit tests): nobody else to tell. */
export const NO_KEY_BELL: KeyBell = { ring: () => undefined, listen: () => Promise.resolve() };

@Injectable()
export class RedisKeyBell extends KeyBell implements OnModuleDestroy {
  /** This process's id on the channel: its own rings come back to it and are ignored. */
  private readonly self = randomUUID();
  private readonly channel: string;

  constructor(
    private readonly connections: RedisConnections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.channel = `${connections.prefix}:live:keys-changed`;
  }

  ring(): void {
    this.connections
      .connection('live-keys', 'command')
      .publish(this.channel, this.self)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not tell other API processes about a stream key change'));
  }

  async listen(changed: () => void): Promise<void> {
    const subscriber = this.connections.connection('live-keys-subscriber', 'subscriber');
    subscriber.on('message', (channel: string, from: string) => {
      if (channel === this.channel && from !== this.self) changed();
    });
    await subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.connections
      .connection('live-keys-subscriber', 'subscriber')
      .unsubscribe(this.channel)
      .catch(() => undefined);
  }
}
