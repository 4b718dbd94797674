import { describe, expect, it } from 'vitest';
import { exportedSeries, METRIC_NAMES, METRICS, metricOptions, metricsScrapeAllowed } from './metrics.js';
import { parseWorkerName, workerName } from './admin.js';

describe('metric catalogue', () => {
  it('names every metric once, with the reelroom_ prefix and Prometheus naming rules', () => {
    expect(new Set(METRIC_NAMES).size).toBe(METRIC_NAMES.length);
    for (const m of Object.values(METRICS)) {
      expect(m.name).toMatch(/^reelroom_[a-z0-9_]+$/);
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
      else expect(m.name).not.toMatch(/_total$/);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });

  it('lists histogram series with their suffixes', () => {
    const series = exportedSeries();
    expect(series.get('reelroom_job_duration_seconds_bucket')).toBe('histogram');
    expect(series.has('reelroom_job_duration_seconds')).toBe(false);
    expect(series.get('reelroom_queue_jobs')).toBe('gauge');
  });

  it('gives prom-client only name, help and labelNames (its options are copied onto the metric)', () => {
    expect(metricOptions('queueJobs')).toEqual({
      name: 'reelroom_queue_jobs',
      help: METRICS.queueJobs.help,
      labelNames: ['queue', 'state'],
    });
  });
});

describe('metricsScrapeAllowed', () => {
  it('is open without a token, and wants exactly Bearer <token> with one', () => {
    expect(metricsScrapeAllowed(undefined, undefined)).toBe(true);
    const token = 'a-long-metrics-token';
    expect(metricsScrapeAllowed(token, undefined)).toBe(false);
    expect(metricsScrapeAllowed(token, `Bearer ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, `bearer   ${token}`)).toBe(true);
    expect(metricsScrapeAllowed(token, token)).toBe(false);
    expect(metricsScrapeAllowed(token, `Bearer ${token}x`)).toBe(false);
    expect(metricsScrapeAllowed(token, `Bearer ${token.slice(0, -1)}`)).toBe(false);
    expect(metricsScrapeAllowed(token, 'Bearer ')).toBe(false);
  });
});

describe('worker names', () => {
  it('carry host, process id and concurrency, without spaces (CLIENT SETNAME refuses them)', () => {
    const name = workerName('worker 7.example', 4242, 3);
    expect(name).toBe('worker_7.example~4242~c3');
    expect(parseWorkerName(name)).toEqual({ host: 'worker_7.example', pid: 4242, concurrency: 3 });
    expect(parseWorkerName('something-else')).toEqual({ host: null, pid: null, concurrency: null });
  });
});
