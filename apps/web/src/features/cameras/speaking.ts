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
 * Levels are read every 100 ms (the loudest 21 ms of the last 170 ms or more), so a required attack
 * would miss short syllables (and Chromium's fake microphone's short beeps); one loud reading starts the
 * indicator, and the release keeps it steady through the gaps between words.
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

/** Root mean square of time-domain samples (-1..1), from `start` (inclusive) to `end` (exclusive). */
export function rms(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / (end - start));
}

/**
 * The level of the loudest block of `block` samples (the last block may be shorter): a window long
 * enough to leave no gap between readings would otherwise average a short sound into its silence.
 */
export function loudestBlockRms(samples: ArrayLike<number>, block: number): number {
  let loudest = 0;
  for (let start = 0; start < samples.length; start += block) {
    loudest = Math.max(loudest, rms(samples, start, Math.min(start + block, samples.length)));
  }
  return loudest;
}
