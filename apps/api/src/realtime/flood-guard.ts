/**
 * Counts events per socket in fixed one-second windows. `hit` returns false once a socket goes over the
 * limit in the current window: the gateway then disconnects that socket only (issue 3: floods are
 * refused without hurting other users). Pure: the clock is injected.
 */
export class FloodGuard<K> {
  private readonly windows = new Map<K, { start: number; count: number }>();

  constructor(
    private readonly maxPerSec: number,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: K): boolean {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= 1000) {
      this.windows.set(key, { start: t, count: 1 });
      return 1 <= this.maxPerSec;
    }
    w.count += 1;
    return w.count <= this.maxPerSec;
  }

  forget(key: K) {
    this.windows.delete(key);
  }
}
