import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory.storage.js';
import { fragment, initSegment } from '../testing/fmp4-fixture.js';
import { recoverLlState } from './ll-resume.js';
import { LL_WINDOW_SEGMENTS } from '@reelroom/contracts';
import { HISTORY_CHUNK_SEGMENTS, loadHistory } from './ll-history.js';
import { LlLiveOutput } from './ll-live-output.js';
import { LlRungPackager } from './ll-rung-packager.js';

const TS = 15360;
/** `seconds` of 30 fps video in thirds of a second, a keyframe every second, as one pipe's bytes. */
function video(seconds: number): Buffer {
  const frags = Array.from({ length: seconds * 3 }, (_, i) => fragment(i + 1, i * 5120, 10, 512, i % 3 === 0));
  return Buffer.concat([initSegment(TS), ...frags]);
}

function setup(storage = new MemoryStorage()) {
  const rung = 'live1/hls/high';
  const rings: string[] = [];
  const existing = storage.files.get(`${rung}/index.m3u8`);
  const packager = new LlRungPackager(
    storage,
    rung,
    { segmentSec: 1, targetDurationSec: 1, partTargetSec: 0.367, onPlaylist: (key) => rings.push(key) },
    existing ? recoverLlState(existing.toString('utf8')) : undefined,
  );
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
    // Segment 1 holds its second already: the next fragment (a keyframe) opens segment 2, and the hint says so.
    expect(t.text()).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00002_0.m4s"');
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

  it('counts what the live holds for the disk bound: the init segment and the segments, never the parts', async () => {
    const t = setup();
    const held = () =>
      [...t.storage.files]
        .filter(([k]) => k.endsWith('/init.mp4') || /\/seg_\d+\.m4s$/.test(k))
        .reduce((sum, [, bytes]) => sum + bytes.length, 0);
    await t.packager.consume(Readable.from([video(3).subarray(0, video(2).length + 700)]));
    // Mid-live: part files are on storage too (copies of the segments' bytes), and are not counted.
    expect([...t.storage.files.keys()].some((k) => k.includes('/part_'))).toBe(true);
    expect(t.packager.mediaBytes).toBe(held());
    expect(t.packager.mediaBytes).toBeGreaterThan(0);
  });

  it('a resumed run starts from what the runs before held (LlLiveOutput.recover estimates it), not from zero', async () => {
    const first = setup();
    await first.packager.consume(Readable.from([video(4)]));
    const before = first.packager.mediaBytes;
    const resumes = await LlLiveOutput.recover(first.storage, 'live1/hls', { outputs: [{ name: 'high', kind: 'video' }] });
    // The fixture's segments are all the same size: the estimate is exact.
    expect(resumes.get('high')?.priorBytes).toBe(before);
    const second = new LlRungPackager(
      first.storage,
      first.rung,
      { segmentSec: 1, targetDurationSec: 1, partTargetSec: 0.367, onPlaylist: () => undefined },
      resumes.get('high'),
    );
    await second.consume(Readable.from([video(2)]));
    // Its init segment replaces the one counted already; its own segments add.
    const nextMsn = resumes.get('high')!.nextMsn;
    const added = second.written
      .filter((seg) => seg.msn >= nextMsn)
      .reduce((sum, seg) => sum + first.storage.files.get(`${first.rung}/${seg.uri}`)!.length, 0);
    expect(added).toBeGreaterThan(0);
    expect(second.mediaBytes).toBe(before + added);
  });

  describe('resuming after a worker died mid-segment', () => {
    /** A first run that wrote `seconds` of video and died (no finish), then a second run over the same storage. */
    async function killedThenResumed(seconds: number) {
      const first = setup();
      await first.packager.consume(Readable.from([video(seconds)]));
      const before = first.text();
      const second = setup(first.storage);
      return { first, second, before };
    }

    it('continues the media sequence after the last complete segment, with a DISCONTINUITY, and drops the unfinished parts', async () => {
      // 2 s + one fragment: segments 0 and 1 complete, segment 2 open with one part when the worker dies.
      const first = setup();
      await first.packager.consume(Readable.from([video(3).subarray(0, video(2).length + 700)]));
      expect(first.text()).toContain('URI="part_00002_0.m4s"');
      const second = setup(first.storage);
      await second.packager.consume(Readable.from([video(2)]));
      const text = second.text();
      // The stale part is gone; msn 2 is this run's, its first part the one after the gap.
      expect(text).toMatch(/seg_00001\.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-PART:DURATION=[\d.]+,URI="part_00002_0\.m4s",INDEPENDENT=YES/);
      expect(text.match(/^seg_\d+\.m4s$/gm)).toEqual(['seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s']);
      expect(text).toContain('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00004_0.m4s"');
      expect(text.match(/#EXT-X-DISCONTINUITY$/gm)).toHaveLength(1);
    });

    it("takes the dead run's unfinished parts out of the playlist, then deletes them, before its own first fragment", async () => {
      const first = setup();
      await first.packager.consume(Readable.from([video(3).subarray(0, video(2).length + 700)]));
      const second = setup(first.storage);
      await second.packager.consume(Readable.from([]));
      expect(second.text()).not.toMatch(/#EXT-X-PART:.*part_00002_/);
      expect(second.text()).toMatch(/seg_00001\.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_00002_0\.m4s"/);
      expect(first.storage.files.has(`${first.rung}/part_00002_0.m4s`)).toBe(false);
      // The complete segments' parts stay: a player may still be reading them.
      expect(first.storage.files.has(`${first.rung}/part_00001_0.m4s`)).toBe(true);
    });

    // The first run: segment 0 complete, segment 1 open (3 parts) when it dies; the second goes on at msn 1.
    it('keeps the discontinuity sequence right when the gap slides out of the window, and the final playlist holds both runs', async () => {
      const { second } = await killedThenResumed(2);
      await second.packager.consume(Readable.from([video(LL_WINDOW_SEGMENTS + 2)]));
      expect(second.text()).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1');
      expect(second.text()).not.toMatch(/#EXT-X-DISCONTINUITY$/m);
      // A later resume reads the sequence back.
      expect(recoverLlState(second.text()).discontinuitySequence).toBe(1);
      await second.packager.finish();
      const final = second.text();
      expect(final).toMatch(/seg_00000\.m4s\n#EXT-X-DISCONTINUITY\n#EXTINF:[\d.]+,\nseg_00001\.m4s/);
      expect(final.match(/^seg_\d+\.m4s$/gm)).toHaveLength(LL_WINDOW_SEGMENTS + 3);
    });

    /** A second run as the worker starts one (LlLiveOutput.recover): the playlist, then the history chunks before it. */
    async function resumedWithHistory(storage: MemoryStorage) {
      const state = recoverLlState(storage.files.get('live1/hls/high/index.m3u8')!.toString('utf8'));
      const history = await loadHistory(storage, 'live1/hls/high', state.segments[0]?.msn ?? state.nextMsn);
      const rings: string[] = [];
      const packager = new LlRungPackager(
        storage,
        'live1/hls/high',
        { segmentSec: 1, targetDurationSec: 1, partTargetSec: 0.367, onPlaylist: (key) => rings.push(key) },
        { ...state, history },
      );
      return { packager, text: () => storage.files.get('live1/hls/high/index.m3u8')!.toString('utf8') };
    }

    it('the replay of a live resumed after its first run outlived the window lists the whole live, from its first segment', async () => {
      // The first run dies a chunk and a half after the window filled (the window then starts inside a chunk).
      const firstRun = LL_WINDOW_SEGMENTS + Math.floor(HISTORY_CHUNK_SEGMENTS * 1.5);
      const { first } = await killedThenResumed(firstRun);
      expect(recoverLlState(first.text()).segments[0].msn).toBeGreaterThan(0); // the window slid: it alone would lose the start
      const second = await resumedWithHistory(first.storage);
      await second.packager.consume(Readable.from([video(HISTORY_CHUNK_SEGMENTS)]));
      // ... and the second run dies too: the third reads the chunks both wrote.
      const third = await resumedWithHistory(first.storage);
      await third.packager.consume(Readable.from([video(5)]));
      await third.packager.finish();
      const msns = (third.text().match(/^seg_(\d+)\.m4s$/gm) ?? []).map((u) => Number(u.slice(4, 9)));
      expect(msns[0]).toBe(0);
      expect(msns).toEqual(msns.map((_, i) => i)); // every segment, once, in order
      expect(msns.length).toBeGreaterThan(firstRun + HISTORY_CHUNK_SEGMENTS);
      // Two joins, both listed (none counted as slid out).
      expect(third.text().match(/#EXT-X-DISCONTINUITY$/gm)).toHaveLength(2);
      expect(third.text()).not.toContain('#EXT-X-DISCONTINUITY-SEQUENCE');
      // The chunks were only for a resume: gone with the live.
      expect([...first.storage.files.keys()].filter((k) => k.includes('history_'))).toEqual([]);
    });
  });
});
