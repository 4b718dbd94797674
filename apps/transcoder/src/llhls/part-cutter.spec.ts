import { describe, expect, it } from 'vitest';
import type { Fmp4Fragment } from './fmp4-splitter.js';
import { PartCutter, type CutEvent } from './part-cutter.js';

const frag = (startSec: number, durationSec: number, independent: boolean, byte = 1): Fmp4Fragment => ({
  bytes: Buffer.from([byte]),
  startSec,
  durationSec,
  independent,
});
const kinds = (events: CutEvent[]) => events.map((e) => (e.type === 'part' ? `p${e.part.msn}.${e.part.index}` : `S${e.segment.msn}`));

describe(PartCutter.name, () => {
  it('makes every fragment a part and starts a segment at each keyframe fragment one segment length in', () => {
    const cutter = new PartCutter(1, 0.367);
    const third = 1 / 3;
    const events: CutEvent[] = [];
    for (let i = 0; i < 7; i++) events.push(...cutter.add(frag(i * third, third, i % 3 === 0, i)));
    expect(kinds(events)).toEqual(['p0.0', 'p0.1', 'p0.2', 'S0', 'p1.0', 'p1.1', 'p1.2', 'S1', 'p2.0']);
    const s0 = events.find((e) => e.type === 'segment');
    expect(s0?.type === 'segment' && s0.segment).toMatchObject({
      msn: 0,
      uri: 'seg_00000.m4s',
      parts: [{ index: 0 }, { index: 1 }, { index: 2 }],
    });
    // A segment's bytes are its parts' bytes, in order.
    expect(s0?.bytes).toEqual(Buffer.from([0, 1, 2]));
    expect(events[0]).toMatchObject({ part: { uri: 'part_00000_0.m4s', independent: true } });
    expect(events[1]).toMatchObject({ part: { independent: false } });
    expect(cutter.next).toEqual({ msn: 2, index: 1 });
    expect(cutter.end()).toMatchObject({ type: 'segment', segment: { msn: 2, parts: [{ index: 0 }] } });
    expect(cutter.end()).toBeUndefined();
  });

  it("hints the part that really comes next: the next segment's first once the open segment is full", () => {
    const cutter = new PartCutter(1, 0.367);
    const third = 1 / 3;
    for (let i = 0; i < 9; i++) {
      const hinted = cutter.next;
      const events = cutter.add(frag(i * third, third, i % 3 === 0));
      const part = events.find((e) => e.type === 'part');
      expect(part?.type === 'part' && { msn: part.part.msn, index: part.part.index }).toEqual(hinted);
    }
    expect(cutter.next).toEqual({ msn: 3, index: 0 });
  });

  it('cuts audio (every fragment independent) at the fragment nearest the segment length, not at every fragment', () => {
    const cutter = new PartCutter(1, 0.367);
    const aac = 16 * (1024 / 48000); // 0.341 s
    const events: CutEvent[] = [];
    for (let i = 0; i < 6; i++) events.push(...cutter.add(frag(i * aac, aac, true)));
    expect(kinds(events)).toEqual(['p0.0', 'p0.1', 'p0.2', 'S0', 'p1.0', 'p1.1', 'p1.2']);
    const s0 = events.find((e) => e.type === 'segment');
    expect(s0?.type === 'segment' && s0.segment.durationSec).toBeCloseTo(3 * aac, 6);
  });

  it('keeps a segment open while no keyframe comes (a video segment starts with one)', () => {
    const cutter = new PartCutter(1, 0.367);
    const events = [frag(0, 0.5, true), frag(0.5, 0.5, false), frag(1, 0.5, false), frag(1.5, 0.5, true)].flatMap((f) => cutter.add(f));
    expect(kinds(events)).toEqual(['p0.0', 'p0.1', 'p0.2', 'S0', 'p1.0']);
  });
});
