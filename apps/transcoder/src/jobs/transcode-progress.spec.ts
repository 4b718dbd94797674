import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import type { MediaStateStore } from '../media/media-state.repository.js';
import type { JobContext } from './job-context.js';
import { TranscodeProgress } from './transcode-progress.js';

const IDS = { mediaId: 'm1', roomId: 'r1' };

class Recorder implements Pick<JobContext, 'reportProgress'>, Pick<MediaStateStore, 'setProgress'> {
  reported: unknown[] = [];
  written: Array<[number, number | null]> = [];
  async reportProgress(data: unknown) {
    this.reported.push(data);
  }
  async setProgress(_id: string, progress: number, etaSec: number | null = null) {
    this.written.push([progress, etaSec]);
  }
}

describe(TranscodeProgress.name, () => {
  afterEach(() => vi.useRealTimers());

  it('rings the API at every percent but writes the row at most once a second', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const r = new Recorder();
    const p = new TranscodeProgress(IDS, r, r, pino({ level: 'silent' }));
    p.percent(1);
    vi.advanceTimersByTime(400);
    p.percent(2);
    vi.advanceTimersByTime(700);
    p.percent(10);
    expect(r.reported.map((x) => (x as { percent: number }).percent)).toEqual([1, 2, 10]);
    expect(r.written.map(([pct]) => pct)).toEqual([1, 10]);
  });

  it('rings stateChanged only for a write that changed the row, after it, in order', async () => {
    const r = new Recorder();
    const p = new TranscodeProgress(IDS, r, r, pino({ level: 'silent' }));
    const order: string[] = [];
    p.percent(30);
    r.reported = [];
    p.stateChange(async () => (order.push('playable'), true));
    p.stateChange(async () => (order.push('again'), false));
    p.stateChange(async () => {
      throw new Error('database down');
    });
    p.stateChange(async () => (order.push('poster'), true));
    await p.settled();
    expect(order).toEqual(['playable', 'again', 'poster']);
    expect(r.reported).toEqual([
      { ...IDS, percent: 30, stateChanged: true },
      { ...IDS, percent: 30, stateChanged: true },
    ]);
  });
});
