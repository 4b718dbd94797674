import { describe, expect, it } from 'vitest';
import { ProgressParser } from './ffmpeg-progress.js';

// A block as ffmpeg 5.1 prints it with `-progress pipe:1 -nostats`.
const block = (us: string, state = 'continue') =>
  `frame=120\nfps=59.8\nstream_0_0_q=28.0\nbitrate=2048.1kbits/s\ntotal_size=1048576\nout_time_us=${us}\nout_time_ms=${us}\nout_time=00:00:05.000000\ndup_frames=0\ndrop_frames=0\nspeed=2.01x\nprogress=${state}\n`;

describe(ProgressParser.name, () => {
  it('turns out_time_us into a percent of the duration', () => {
    const p = new ProgressParser(10);
    expect(p.push(block('5000000'))).toEqual([50, 50]);
  });

  it('reads out_time_ms as microseconds (ffmpeg prints the same value under both keys)', () => {
    const p = new ProgressParser(20);
    expect(p.push('out_time_ms=5000000\n')).toEqual([25]);
  });

  it('handles lines split across chunks', () => {
    const p = new ProgressParser(10);
    expect(p.push('out_time_us=25')).toEqual([]);
    expect(p.push('00000\nprogress=cont')).toEqual([25]);
    expect(p.push('inue\n')).toEqual([]);
  });

  it('ignores N/A times and never goes backwards', () => {
    const p = new ProgressParser(10);
    expect(p.push('out_time_us=N/A\n')).toEqual([]);
    expect(p.push('out_time_us=8000000\nout_time_us=2000000\n')).toEqual([80, 80]);
  });

  it('reports 100 at progress=end and clamps overshoot', () => {
    const p = new ProgressParser(10);
    expect(p.push('out_time_us=10500000\n')).toEqual([100]);
    expect(new ProgressParser(10).push('progress=end\n')).toEqual([100]);
  });

  it('reports nothing but the end when the duration is unknown', () => {
    expect(new ProgressParser(0).push(block('5000000', 'end'))).toEqual([100]);
  });
});
