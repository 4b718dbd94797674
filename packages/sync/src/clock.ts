/**
 * NTP-style clock offset estimate (as Jellyfin's TimeSync): the client sends t0, the server answers
 * with its time ts, the client notes t1 on receipt. offset = ts - (t0 + t1) / 2, round trip = t1 - t0.
 * The sample with the smallest round trip has the least room for asymmetric delay, so it wins.
 */
export interface ClockSample {
  offsetMs: number;
  rttMs: number;
  at: number;
}

export const clockSample = (t0: number, serverTime: number, t1: number): ClockSample => ({
  offsetMs: serverTime - (t0 + t1) / 2,
  rttMs: t1 - t0,
  at: t1,
});

export class ClockEstimator {
  private samples: ClockSample[] = [];

  constructor(private readonly keep = 8) {}

  add(sample: ClockSample): void {
    if (!(sample.rttMs >= 0) || !Number.isFinite(sample.offsetMs)) return;
    this.samples.push(sample);
    if (this.samples.length > this.keep) this.samples.shift();
  }

  get best(): ClockSample | null {
    return this.samples.reduce<ClockSample | null>((b, s) => (!b || s.rttMs < b.rttMs ? s : b), null);
  }

  /** Server time for a local time, or the local time itself before any sample. */
  serverNow(localNow: number): number {
    return localNow + (this.best?.offsetMs ?? 0);
  }

  get sampleCount(): number {
    return this.samples.length;
  }
}
