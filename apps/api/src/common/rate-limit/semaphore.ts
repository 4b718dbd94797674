/** Thrown when the queue in front of a Semaphore is full. */
export class SemaphoreFullError extends Error {
  constructor() {
    super('semaphore queue full');
  }
}

/**
 * At most `max` tasks at once; up to `maxQueue` more wait in order, and beyond that `run` refuses at
 * once. Password hashing uses it: argon2 runs on libuv's small thread pool, which file I/O shares, so
 * unbounded parallel hashing made every other request (even /api/health) wait.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      if (this.waiting.length >= this.maxQueue) throw new SemaphoreFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter (active stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get inUse(): number {
    return this.active;
  }
}
