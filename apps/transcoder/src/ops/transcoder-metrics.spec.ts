import { describe, expect, it } from 'vitest';
import { METRICS } from '@reelroom/contracts';
import { encodeSpeed, liveEncodeLag, TranscoderMetrics } from './transcoder-metrics.js';

describe('encodeSpeed', () => {
  it('is media seconds per wall-clock second, and unknown for zero or missing values', () => {
    expect(encodeSpeed(60, 30_000)).toBe(2);
    expect(encodeSpeed(10, 20_000)).toBe(0.5);
    expect(encodeSpeed(null, 1000)).toBeNull();
    expect(encodeSpeed(0, 1000)).toBeNull();
    expect(encodeSpeed(10, 0)).toBeNull();
  });
});

describe('liveEncodeLag', () => {
  it('is wall time since the encode began minus media time written, never negative', () => {
    expect(liveEncodeLag(1_000, 11_000, 9.5)).toBe(0.5);
    expect(liveEncodeLag(1_000, 11_000, 10)).toBe(0);
    // The ingest's cached keyframe group arrives at once: media time ahead of the wall clock is no lag.
    expect(liveEncodeLag(1_000, 3_000, 4)).toBe(0);
  });
});

describe('TranscoderMetrics', () => {
  it('registers exactly the catalogue entries the transcoder owns, with their types', () => {
    const ours = new TranscoderMetrics().registry
      .getMetricsAsArray()
      .filter((x) => x.name.startsWith('reelroom_'))
      .map((x) => ({ name: x.name, type: String(x.type) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = Object.values(METRICS)
      .filter((m) => m.app === 'transcoder')
      .map((m) => ({ name: m.name, type: m.type }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(ours).toEqual(expected);
  });

  it('counts a job as running until it ends, then by outcome with its duration', async () => {
    const m = new TranscoderMetrics();
    const end = m.jobStarted('media');
    expect(await m.text()).toMatch(/^reelroom_jobs_running\{queue="media",app="transcoder"\} 1$/m);
    end('retried');
    m.jobStarted('media')('completed');
    m.encodeFinished(30, 10_000);
    const text = await m.text();
    expect(text).toMatch(/^reelroom_jobs_running\{queue="media",app="transcoder"\} 0$/m);
    expect(text).toMatch(/^reelroom_jobs_total\{queue="media",outcome="retried",app="transcoder"\} 1$/m);
    expect(text).toMatch(/^reelroom_jobs_total\{queue="media",outcome="completed",app="transcoder"\} 1$/m);
    expect(text).toMatch(/^reelroom_job_duration_seconds_count\{app="transcoder",queue="media",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^reelroom_encode_speed_ratio_sum\{app="transcoder"\} 3$/m);
    m.liveLagSampled(0.4);
    expect(await m.text()).toMatch(/^reelroom_live_encode_lag_seconds_bucket\{le="0.5",app="transcoder"\} 1$/m);
  });
});
