import { describe, expect, it } from 'vitest';
import { fragment, initSegment } from '../testing/fmp4-fixture.js';
import { Fmp4Splitter, type Fmp4Event } from './fmp4-splitter.js';

const TS = 15360; // ffmpeg's video timescale for 30 fps: 512 ticks a frame

describe(Fmp4Splitter.name, () => {
  it('finds the init segment and each moof + mdat with its start, duration and independence, whatever the chunking', () => {
    const stream = Buffer.concat([initSegment(TS), fragment(1, 0, 10, 512, true), fragment(2, 5120, 10, 512, false), Buffer.from('junk')]);
    for (const size of [1, 7, 100, stream.length]) {
      const splitter = new Fmp4Splitter();
      const events: Fmp4Event[] = [];
      for (let at = 0; at < stream.length; at += size) events.push(...splitter.push(stream.subarray(at, at + size)));
      expect(events.map((e) => e.type)).toEqual(['init', 'fragment', 'fragment']);
      const [init, a, b] = events;
      expect(init.bytes).toEqual(initSegment(TS));
      expect(a).toMatchObject({ type: 'fragment', startSec: 0, independent: true });
      expect(b).toMatchObject({ type: 'fragment', startSec: 5120 / TS, independent: false });
      if (a.type === 'fragment') expect(a.durationSec).toBeCloseTo(1 / 3, 6);
      expect(Buffer.concat([init.bytes, a.bytes, b.bytes])).toEqual(stream.subarray(0, stream.length - 4));
      // The 4 bytes of junk are not a box yet: they stay pending (a stream cut mid-box).
      expect(splitter.truncated).toBe(true);
    }
  });

  it('refuses a fragment before the init segment and a box that cannot be one', () => {
    expect(() => new Fmp4Splitter().push(fragment(1, 0, 1, 512, true))).toThrow(/before the init segment/);
    const bad = Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66]);
    expect(() => new Fmp4Splitter().push(bad)).toThrow(/unexpected "moof" box/);
  });
});
