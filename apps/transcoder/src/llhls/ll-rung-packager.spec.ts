import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory.storage.js';
import { fragment, initSegment } from '../testing/fmp4-fixture.js';
import { LlRungPackager } from './ll-rung-packager.js';

const TS = 15360;
/** `seconds` of 30 fps video in thirds of a second, a keyframe every second, as one pipe's bytes. */
function video(seconds: number): Buffer {
  const frags = Array.from({ length: seconds * 3 }, (_, i) => fragment(i + 1, i * 5120, 10, 512, i % 3 === 0));
  return Buffer.concat([initSegment(TS), ...frags]);
}

function setup() {
  const storage = new MemoryStorage();
  const rung = 'live1/hls/high';
  const rings: string[] = [];
  const packager = new LlRungPackager(storage, rung, {
    segmentSec: 1,
    targetDurationSec: 1,
    partTargetSec: 0.367,
    onPlaylist: (key) => rings.push(key),
  });
  const text = () => storage.files.get(`${rung}/index.m3u8`)?.toString('utf8') ?? '';
  return { storage, rung, rings, packager, text };
}

describe(LlRungPackager.name, () => {
  it('writes the init segment, each part and segment before the playlist that lists them, and rings after each playlist', async () => {
    const t = setup();
    await t.packager.consume(Readable.from([video(2).subarray(0, 5000), video(2).subarray(5000)]));
    expect(t.storage.files.has(`${t.rung}/init.mp4`)).toBe(true);
    // 6 fragments: 6 parts, segment 0 complete at the 4th, segment 1 still open.
    expect(t.rings).toHaveLength(6);
    expect(t.text()).toContain('#EXTINF:1,\nseg_00000.m4s');
    expect(t.text()).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00001_3.m4s"');
    for (const line of t.text().split('\n')) {
      const uri = /URI="(part_[^"]+)"/.exec(line)?.[1] ?? (line.startsWith('seg_') ? line : undefined);
      if (uri && !line.startsWith('#EXT-X-PRELOAD-HINT')) expect(t.storage.files.has(`${t.rung}/${uri}`)).toBe(true);
    }
    const writes = t.storage.writes;
    expect(writes.indexOf(`${t.rung}/seg_00000.m4s`)).toBeLessThan(
      writes.indexOf(`${t.rung}/index.m3u8`, writes.indexOf(`${t.rung}/part_00001_0.m4s`)),
    );
    // The segment is exactly its three parts.
    const parts = [0, 1, 2].map((i) => t.storage.files.get(`${t.rung}/part_00000_${i}.m4s`)!);
    expect(t.storage.files.get(`${t.rung}/seg_00000.m4s`)).toEqual(Buffer.concat(parts));
  });

  it('at the end writes the last segment and a plain playlist of every segment, and removes the part files', async () => {
    const t = setup();
    await t.packager.consume(Readable.from([video(3)]));
    await t.packager.finish();
    expect(t.text()).not.toContain('#EXT-X-PART');
    expect(t.text().match(/^seg_\d+\.m4s$/gm)).toEqual(['seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s']);
    expect([...t.storage.files.keys()].filter((k) => k.includes('/part_'))).toEqual([]);
    expect(t.packager.written).toHaveLength(3);
  });
});
