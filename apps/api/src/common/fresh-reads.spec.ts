import { describe, expect, it } from 'vitest';
import { FreshReads } from './fresh-reads.js';

/** A load the test settles by hand, counting how often it started. */
function manualLoads() {
  const pending: Array<{ resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  let started = 0;
  const load = () =>
    new Promise<number>((resolve, reject) => {
      started += 1;
      pending.push({ resolve, reject });
    });
  return { load, pending, started: () => started };
}

const tick = () => new Promise((r) => setImmediate(r));

describe(FreshReads.name, () => {
  it('starts a read at once when none runs for the key', async () => {
    const reads = new FreshReads<number>();
    const l = manualLoads();
    const a = reads.read('room', l.load);
    expect(l.started()).toBe(1);
    l.pending[0].resolve(1);
    expect(await a).toBe(1);
  });

  it('never hands a caller the read that was running before it asked: it waits for the next one, shared', async () => {
    const reads = new FreshReads<number>();
    const l = manualLoads();
    const first = reads.read('room', l.load);
    const second = reads.read('room', l.load);
    const third = reads.read('room', l.load);
    expect(l.started()).toBe(1);
    l.pending[0].resolve(1);
    expect(await first).toBe(1);
    await tick();
    expect(l.started()).toBe(2);
    l.pending[1].resolve(2);
    expect([await second, await third]).toEqual([2, 2]);
    const later = reads.read('room', l.load);
    expect(l.started()).toBe(3);
    l.pending[2].resolve(3);
    expect(await later).toBe(3);
  });

  it('keeps keys apart, and a failed read fails only its own callers', async () => {
    const reads = new FreshReads<number>();
    const l = manualLoads();
    const a = reads.read('a', l.load);
    const b = reads.read('b', l.load);
    const aNext = reads.read('a', l.load);
    expect(l.started()).toBe(2);
    l.pending[0].reject(new Error('db down'));
    l.pending[1].resolve(20);
    await expect(a).rejects.toThrow('db down');
    expect(await b).toBe(20);
    await tick();
    l.pending[2].resolve(11);
    expect(await aNext).toBe(11);
  });
});
