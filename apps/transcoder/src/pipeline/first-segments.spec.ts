import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannedVariant } from '../ffmpeg/hls-plan.js';
import { OutputWatch, waitForFirstSegments } from './first-segments.js';

const VIDEO: PlannedVariant = {
  name: 'low',
  kind: 'video',
  width: 854,
  height: 480,
  fps: 30,
  estimate: { peak: 1_000_000, average: 1_000_000 },
};
// A poll this long never ends within a test: whatever returns sooner was woken by the folder.
const NEVER = 600_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'first-segments-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('waitForFirstSegments with watched folders', () => {
  it('checks again as soon as a file appears in a rung folder, without waiting for the poll', async () => {
    const segment = join(dir, 'seg_00000.m4s');
    const publisher = { hasFirstSegment: async () => existsSync(segment) };
    const seen: string[] = [];
    const done = waitForFirstSegments({
      publisher,
      variants: [VIDEO],
      encoding: () => true,
      pollMs: NEVER,
      watchDirs: [dir],
      onFirstSegment: (v) => seen.push(v.name),
    });
    setTimeout(() => writeFileSync(segment, 'x'), 20);
    expect(await done).toBe(true);
    expect(seen).toEqual(['low']);
  });

  it('still finds the segment by polling when a folder cannot be watched', async () => {
    let checks = 0;
    const publisher = { hasFirstSegment: async () => ++checks > 2 };
    const found = await waitForFirstSegments({
      publisher,
      variants: [VIDEO],
      encoding: () => true,
      pollMs: 1,
      watchDirs: [join(dir, 'missing')],
    });
    expect(found).toBe(true);
  });
});

describe(OutputWatch.name, () => {
  it('returns at once from the next wait when something changed while nobody waited', async () => {
    const watch = new OutputWatch([dir]);
    expect(watch.active).toBe(true);
    writeFileSync(join(dir, 'a'), 'x');
    // The notification arrives on the event loop; the wait that follows ends with it, not with the timer.
    await watch.wait(NEVER);
    watch.close();
    expect(watch.active).toBe(false);
  });

  it('is a plain sleep once closed', async () => {
    const watch = new OutputWatch([dir]);
    watch.close();
    const t0 = Date.now();
    await watch.wait(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });
});
