import type { Cancel, Scheduler } from '../scheduler';

interface Timer {
  at: number;
  fn: () => void;
  /** Set for `every`. */
  period: number | null;
}

/**
 * A Scheduler whose time only moves when a test says so. `pending` counts the timers still set, which
 * is how a test proves that stop() left nothing running.
 */
export class FakeScheduler implements Scheduler {
  private wall: number;
  private mono = 0;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(start = 1_700_000_000_000) {
    this.wall = start;
  }

  now(): number {
    return this.wall;
  }

  elapsed(): number {
    return this.mono;
  }

  after(ms: number, fn: () => void): Cancel {
    return this.add({ at: this.mono + ms, fn, period: null });
  }

  every(ms: number, fn: () => void): Cancel {
    return this.add({ at: this.mono + ms, fn, period: ms });
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order, at its own instant. */
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      const [id, timer] = next;
      this.moveTo(timer.at);
      if (timer.period === null) this.timers.delete(id);
      else timer.at += timer.period;
      timer.fn();
    }
    this.moveTo(end);
  }

  private moveTo(mono: number): void {
    this.wall += mono - this.mono;
    this.mono = mono;
  }

  private add(timer: Timer): Cancel {
    const id = this.nextId++;
    this.timers.set(id, timer);
    return () => {
      this.timers.delete(id);
    };
  }
}

/** Lets pending promise callbacks (a ping's reply, a command's answer) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
