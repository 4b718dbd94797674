import { describe, expect, it } from 'vitest';
import { LL_WINDOW_SEGMENTS } from '@reelroom/contracts';
import { MemoryStorage } from '../storage/memory.storage.js';
import { completedChunk, HISTORY_CHUNK_SEGMENTS, historyKey, loadHistory, parseChunk, type HistorySegment } from './ll-history.js';

const C = HISTORY_CHUNK_SEGMENTS;
const seg = (msn: number, more: Partial<HistorySegment> = {}): HistorySegment => ({
  msn,
  uri: `seg_${String(msn).padStart(5, '0')}.m4s`,
  durationSec: 1,
  ...more,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => seg(from + i));

describe('LL history chunks', () => {
  it('are never longer than the window, so what no chunk holds yet is always in the playlist', () => {
    expect(C).toBeLessThanOrEqual(LL_WINDOW_SEGMENTS);
  });

  it("a segment that ends a chunk completes it, with the chunk's segments in order, gaps kept", () => {
    const known = [...range(C, 2 * C).reverse(), seg(C - 1)];
    known[3] = { ...known[3], discontinuity: true };
    const done = completedChunk(2 * C - 1, known);
    expect(done?.chunk).toBe(1);
    expect(done?.segments.map((s) => s.msn)).toEqual(range(C, 2 * C).map((s) => s.msn));
    expect(done?.segments.filter((s) => s.discontinuity).map((s) => s.msn)).toEqual([2 * C - 4]);
    // Parts or other fields of a live segment are not kept.
    expect(Object.keys(done!.segments[0]).sort()).toEqual(['durationSec', 'msn', 'uri']);
  });

  it('no chunk for a segment inside one, nor for a chunk with a hole (a resume that could not read it all back)', () => {
    expect(completedChunk(C - 2, range(0, C))).toBeNull();
    expect(completedChunk(C - 1, range(1, C))).toBeNull();
    expect(completedChunk(C - 1, range(0, C))?.chunk).toBe(0);
  });

  it('reads a chunk back, and refuses one that is not ours', () => {
    const chunk = range(C, 2 * C);
    chunk[0] = { ...chunk[0], discontinuity: true };
    expect(parseChunk(JSON.stringify(chunk), 1)).toEqual(chunk);
    expect(parseChunk(JSON.stringify(chunk), 0)).toBeNull(); // another chunk's numbers
    expect(parseChunk('not json', 1)).toBeNull();
    expect(parseChunk(JSON.stringify(chunk.slice(1)), 1)).toBeNull();
    expect(parseChunk(JSON.stringify([{ ...chunk[0], uri: '../../etc/passwd' }, ...chunk.slice(1)]), 1)).toBeNull();
    expect(parseChunk(JSON.stringify([{ ...chunk[0], durationSec: -1 }, ...chunk.slice(1)]), 1)).toBeNull();
  });

  it('loads the segments before a resumed window, back to the first missing chunk, with no hole', async () => {
    const storage = new MemoryStorage();
    const rung = 'live1/hls/high';
    for (const k of [0, 1, 2]) await storage.write(historyKey(rung, k), JSON.stringify(range(k * C, (k + 1) * C)));
    // The window starts inside chunk 2: its earlier segments come from it, the rest are in the window.
    const first = 2 * C + 5;
    expect((await loadHistory(storage, rung, first)).map((s) => s.msn)).toEqual(range(0, first).map((s) => s.msn));
    expect(await loadHistory(storage, rung, 0)).toEqual([]);
    await storage.delete(historyKey(rung, 1));
    expect((await loadHistory(storage, rung, first)).map((s) => s.msn)).toEqual(range(2 * C, first).map((s) => s.msn));
    await storage.write(historyKey(rung, 2), 'junk');
    expect(await loadHistory(storage, rung, first)).toEqual([]);
  });
});
