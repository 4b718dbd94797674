import { describe, expect, it } from 'vitest';
import { ProgressThrottle, type FetchProgress } from './progress-throttle.js';

describe('ProgressThrottle', () => {
  it('sends the first report, then at most one per interval, then the final figure', () => {
    let now = 0;
    const sent: FetchProgress[] = [];
    const t = new ProgressThrottle(
      500,
      () => now,
      (p) => sent.push(p),
    );
    for (let i = 1; i <= 20; i++) {
      now = i * 100;
      t.report({ bytes: i, totalBytes: 20 });
    }
    t.flush({ bytes: 20, totalBytes: 20 });
    expect(sent.map((p) => p.bytes)).toEqual([1, 6, 11, 16, 20]);
  });

  it('does not repeat a final figure that already went out', () => {
    let now = 0;
    const sent: FetchProgress[] = [];
    const t = new ProgressThrottle(
      500,
      () => now,
      (p) => sent.push(p),
    );
    t.report({ bytes: 5, totalBytes: null, segmentsDone: 1, segmentCount: 2 });
    now = 10;
    t.flush({ bytes: 5, totalBytes: null, segmentsDone: 1, segmentCount: 2 });
    expect(sent).toHaveLength(1);
  });
});
