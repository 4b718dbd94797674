import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SegmentBytes } from './segment-bytes.js';

describe(SegmentBytes.name, () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('counts segments and init segments of every rung, not playlists or segments still being written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-bytes-'));
    dirs.push(dir);
    const usage = new SegmentBytes(join(dir, 'hls'));
    expect(await usage.measure()).toBe(0);
    for (const rung of ['high', 'audio']) {
      mkdirSync(join(dir, 'hls', rung), { recursive: true });
      writeFileSync(join(dir, 'hls', rung, 'init.mp4'), Buffer.alloc(10));
      writeFileSync(join(dir, 'hls', rung, 'seg_00000.m4s'), Buffer.alloc(100));
      writeFileSync(join(dir, 'hls', rung, 'seg_00001.m4s.tmp'), Buffer.alloc(1000));
      writeFileSync(join(dir, 'hls', rung, 'index.m3u8'), '#EXTM3U\n');
    }
    writeFileSync(join(dir, 'hls', 'master.m3u8'), '#EXTM3U\n');
    expect(await usage.measure()).toBe(220);
    writeFileSync(join(dir, 'hls', 'high', 'seg_00001.m4s'), Buffer.alloc(50));
    expect(await usage.measure()).toBe(270);
  });
});
