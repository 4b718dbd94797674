import type { Redis } from 'ioredis';

/**
 * The shared state a distributed upload lock needs. Kept apart from the locking logic (RedisLocker)
 * so that logic unit-tests against an in-memory fake, and the Redis commands stay a few lines.
 */
export interface LockBackend {
  /** Takes the lock for `id` with `token` if nobody holds it; it expires by itself after `ttlMs`. */
  tryAcquire(id: string, token: string, ttlMs: number): Promise<boolean>;
  /** Extends the lock's lifetime, only if `token` still holds it. */
  renew(id: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the lock, only if `token` still holds it (never someone else's). */
  release(id: string, token: string): Promise<boolean>;
  /** Tells whichever process holds `id` that a newer request wants it. */
  requestRelease(id: string): Promise<void>;
  /** Registers the one listener for release requests addressed to any id. */
  onReleaseRequested(listener: (id: string) => void): void;
}

// Compare-and-delete / compare-and-extend: a holder whose lock expired must not touch the next holder's
// (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Redis implementation: `SET key token NX PX ttl` for the lock, Lua for compare-and-delete/extend, and one
 * pub/sub channel per deployment for release requests (each process dispatches them to its own holders).
 * `commands` and `subscriber` must be separate connections (a subscribed connection runs no commands).
 */
export class RedisLockBackend implements LockBackend {
  private readonly channel: string;
  private listener: ((id: string) => void) | undefined;

  constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    this.channel = `${prefix}:tus:lock-release`;
    this.subscriber.on('message', (channel: string, id: string) => {
      if (channel === this.channel) this.listener?.(id);
    });
  }

  /** Resolves once the release channel is subscribed (a request published before that would be missed). */
  async start(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  private key(id: string): string {
    return `${this.prefix}:tus:lock:${id}`;
  }

  async tryAcquire(id: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.commands.set(this.key(id), token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async renew(id: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.commands.eval(RENEW, 1, this.key(id), token, String(ttlMs))) === 1;
  }

  async release(id: string, token: string): Promise<boolean> {
    return (await this.commands.eval(RELEASE, 1, this.key(id), token)) === 1;
  }

  async requestRelease(id: string): Promise<void> {
    await this.commands.publish(this.channel, id);
  }

  onReleaseRequested(listener: (id: string) => void): void {
    this.listener = listener;
  }
}
