/**
 * Shares reads between concurrent callers without ever serving one a result older than its call: a
 * caller gets either a read that starts now (none running for the key) or the next read, which starts
 * as soon as the running one ends and serves everyone who asked meanwhile. So under a join storm a
 * room's snapshot is read at most twice at a time, not once per joiner (issue 10), and a joiner still
 * sees everything that happened before it asked (it subscribed to the room's channel first, so nothing
 * after falls between the two).
 */
export class FreshReads<T> {
  private readonly slots = new Map<string, { running: Promise<T>; next: Promise<T> | null }>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) return this.start(key, load);
    slot.next ??= slot.running.then(
      () => this.start(key, load),
      () => this.start(key, load),
    );
    return slot.next;
  }

  private start(key: string, load: () => Promise<T>): Promise<T> {
    const running = load();
    const slot = { running, next: null };
    this.slots.set(key, slot);
    const done = () => {
      if (this.slots.get(key) === slot) this.slots.delete(key);
    };
    running.then(done, done);
    return running;
  }
}
