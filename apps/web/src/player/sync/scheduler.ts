/** Cancels a timer; calling it twice, or after the timer fired, does nothing. */
export type Cancel = () => void;

/**
 * Time and timers for the sync parts. The browser's in the app; a fake in unit tests, which can run time
 * forward and count what is still pending (stop() must leave nothing behind).
 */
export interface Scheduler {
  /** Wall clock (ms, Date.now): the clock offset and server times are relative to it. */
  now(): number;
  /** Monotonic clock (ms, performance.now): for measuring how long something took. */
  elapsed(): number;
  after(ms: number, fn: () => void): Cancel;
  every(ms: number, fn: () => void): Cancel;
}

export const browserScheduler: Scheduler = {
  now: () => Date.now(),
  elapsed: () => performance.now(),
  after: (ms, fn) => {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
  every: (ms, fn) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
};
