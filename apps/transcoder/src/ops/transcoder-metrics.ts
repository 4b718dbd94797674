import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricOptions, type JobOutcome } from '@reelroom/contracts';

/** Media seconds per wall-clock second; null when either is unknown or zero (audio of no length, a 0 ms run). */
export function encodeSpeed(mediaSec: number | null | undefined, wallMs: number): number | null {
  if (!mediaSec || mediaSec <= 0 || wallMs <= 0) return null;
  return mediaSec / (wallMs / 1000);
}

/**
 * Seconds a live encode is behind the wall clock: time since ffmpeg started reading the stream minus the
 * media time it has written. Never negative (ffmpeg reads the ingest's cached keyframe group at once).
 */
export function liveEncodeLag(startedAtMs: number, nowMs: number, outTimeSec: number): number {
  return Math.max(0, (nowMs - startedAtMs) / 1000 - outTimeSec);
}

/**
 * This transcoder process's Prometheus registry (GET /metrics on TRANSCODER_HTTP_PORT): default process
 * metrics plus job durations and outcomes, jobs running and encode speed, each built from the contracts'
 * METRICS catalogue (queue depth is the API's to report: it reads BullMQ at scrape time).
 */
@Injectable()
export class TranscoderMetrics {
  readonly registry = new Registry();
  private readonly duration = new Histogram({
    ...metricOptions('jobDurationSeconds'),
    // From a 1 s import to a 6 h film.
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600],
    registers: [this.registry],
  });
  private readonly outcomes = new Counter({ ...metricOptions('jobsTotal'), registers: [this.registry] });
  private readonly running = new Gauge({ ...metricOptions('jobsRunning'), registers: [this.registry] });
  private readonly speed = new Histogram({
    ...metricOptions('encodeSpeedRatio'),
    buckets: [0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 20, 50],
    registers: [this.registry],
  });

  private readonly liveLag = new Histogram({
    ...metricOptions('liveEncodeLagSeconds'),
    // LL-HLS aims at about 1 s from the encoder; past 10 s a viewer sees a stalled live.
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    this.registry.setDefaultLabels({ app: 'transcoder' });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A job attempt starts; call the returned function with its outcome when it ends. */
  jobStarted(queue: string): (outcome: JobOutcome) => void {
    this.running.inc({ queue });
    const stop = this.duration.startTimer({ queue });
    return (outcome) => {
      this.running.dec({ queue });
      stop({ outcome });
      this.outcomes.inc({ queue, outcome });
    };
  }

  encodeFinished(mediaSec: number | null | undefined, wallMs: number): void {
    const ratio = encodeSpeed(mediaSec, wallMs);
    if (ratio !== null) this.speed.observe(ratio);
  }

  liveLagSampled(seconds: number): void {
    this.liveLag.observe(seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
