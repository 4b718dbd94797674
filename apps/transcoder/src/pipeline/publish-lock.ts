/**
 * Serialises the rewrites of one output's playlists: chunks finish on different workers in any order, and
 * each republishes the stitched playlists; under the lock every writer sees the chunks finished so far,
 * so a playlist only ever grows. The Redis form (redis/redis-publish-lock.ts) spans processes.
 */
export interface PublishLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** One process only: for transcodeToHls, the bench and unit specs. */
export class InProcessLock implements PublishLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    this.tails.set(key, run);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === run) this.tails.delete(key);
    }
  }
}
