import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { MediaStorage } from '../storage/media-storage.js';
import { mirrorOutput } from './output-mirror.js';

class FakePublisher implements Pick<MediaStorage, 'publishLocal'> {
  readonly calls: string[] = [];
  failing = false;
  publishLocal(key: string): Promise<void> {
    this.calls.push(key);
    return this.failing ? Promise.reject(new Error('store unreachable')) : Promise.resolve();
  }
}

describe(mirrorOutput.name, () => {
  const log = pino({ level: 'silent' });

  it('publishes the output in rounds while running, and once more when stopped', async () => {
    const storage = new FakePublisher();
    const mirror = mirrorOutput(storage, 'm1/hls', 5, log);
    await expect.poll(() => storage.calls.length).toBeGreaterThanOrEqual(2);
    await mirror.stop();
    const after = storage.calls.length;
    expect(storage.calls.every((k) => k === 'm1/hls')).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(storage.calls.length).toBe(after);
  });

  it('runs prepare before every publish, the last one included', async () => {
    const storage = new FakePublisher();
    const order: string[] = [];
    const publish = storage.publishLocal.bind(storage);
    storage.publishLocal = (key) => {
      order.push('publish');
      return publish(key);
    };
    const mirror = mirrorOutput(storage, 'm1/hls', 60_000, log, () => {
      order.push('prepare');
      return Promise.resolve();
    });
    await expect.poll(() => order.length).toBe(2);
    await mirror.stop();
    expect(order).toEqual(['prepare', 'publish', 'prepare', 'publish']);
  });

  it('survives a failed round, but the last publish must succeed', async () => {
    const storage = new FakePublisher();
    storage.failing = true;
    const mirror = mirrorOutput(storage, 'm1/hls', 5, log);
    await expect.poll(() => storage.calls.length).toBeGreaterThanOrEqual(2);
    await expect(mirror.stop()).rejects.toThrow('store unreachable');
  });

  it('skips the last publish when the encode failed', async () => {
    const storage = new FakePublisher();
    const mirror = mirrorOutput(storage, 'm1/hls', 60_000, log);
    await expect.poll(() => storage.calls.length).toBe(1);
    await mirror.stop(false);
    expect(storage.calls).toEqual(['m1/hls']);
  });
});
