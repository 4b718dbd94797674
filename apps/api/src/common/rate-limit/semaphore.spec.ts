import { describe, expect, it } from 'vitest';
import { Semaphore, SemaphoreFullError } from './semaphore.js';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { done, open };
}

describe(Semaphore.name, () => {
  it('runs at most `max` tasks at once, queues `maxQueue` more in order, and refuses the rest at once', async () => {
    const sem = new Semaphore(2, 1);
    const gates = [gate(), gate(), gate()];
    const order: number[] = [];
    const runs = gates.map((g, i) =>
      sem.run(async () => {
        order.push(i);
        await g.done;
        return i;
      }),
    );
    await expect(sem.run(async () => 99)).rejects.toBeInstanceOf(SemaphoreFullError);
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(sem.inUse).toBe(2);
    gates[0].open();
    await runs[0];
    await expect.poll(() => order).toEqual([0, 1, 2]);
    gates[1].open();
    gates[2].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(sem.inUse).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const sem = new Semaphore(1, 0);
    await expect(sem.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await sem.run(async () => 'next')).toBe('next');
  });
});
