/**
 * Speaking detection from audio levels (RMS of the analyser's time-domain samples, 0-1), with hysteresis
 * so the indicator does not flicker: speaking starts when the level stays above `on` for `attackMs`, and
 * ends only after `releaseMs` below `off`. Pure: the caller feeds levels with their timestamps.
 */
export interface SpeakingPolicy {
  on: number;
  off: number;
  attackMs: number;
  releaseMs: number;
}

/**
 * Levels are sampled every 100 ms from a 43 ms window, so a required attack would miss short syllables
 * (and Chromium's fake microphone's short beeps); one loud sample starts the indicator, and the release
 * keeps it steady through the gaps between words.
 */
export const DEFAULT_SPEAKING: SpeakingPolicy = { on: 0.04, off: 0.02, attackMs: 0, releaseMs: 600 };

export class SpeakingDetector {
  private speaking = false;
  private aboveSince: number | null = null;
  private belowSince: number | null = null;

  constructor(private readonly policy: SpeakingPolicy = DEFAULT_SPEAKING) {}

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Feeds one level; returns whether the person is speaking now. */
  push(level: number, now: number): boolean {
    const { on, off, attackMs, releaseMs } = this.policy;
    if (!this.speaking) {
      if (level >= on) {
        this.aboveSince ??= now;
        if (now - this.aboveSince >= attackMs) {
          this.speaking = true;
          this.belowSince = null;
        }
      } else this.aboveSince = null;
    } else if (level < off) {
      this.belowSince ??= now;
      if (now - this.belowSince >= releaseMs) {
        this.speaking = false;
        this.aboveSince = null;
      }
    } else this.belowSince = null;
    return this.speaking;
  }
}

/** Root mean square of time-domain samples (-1..1). */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / samples.length);
}
