/**
 * Lowers the film's volume while someone on camera talks, and puts it back afterwards (per person: a
 * toggle each viewer sets for themselves). It remembers the volume it lowered from and restores exactly
 * that, but leaves the volume alone when the person changed it meanwhile: their choice wins.
 * Pure apart from the element it is given (anything with a `volume`).
 */
export const DUCK_FACTOR = 0.3;

export class Ducker {
  private base: number | null = null;
  private set: number | null = null;

  constructor(private readonly factor = DUCK_FACTOR) {}

  get ducked(): boolean {
    return this.base !== null;
  }

  /** Call whenever "someone else is speaking" or the toggle changes; `element` may be null (no player). */
  update(element: { volume: number } | null, othersSpeaking: boolean, enabled: boolean): void {
    const want = enabled && othersSpeaking && element !== null;
    if (want && this.base === null && element) {
      this.base = element.volume;
      this.set = Math.round(element.volume * this.factor * 1000) / 1000;
      element.volume = this.set;
    } else if (!want && this.base !== null) {
      // The person moved the volume slider while it was lowered: keep theirs.
      if (element && this.set !== null && Math.abs(element.volume - this.set) < 0.001) element.volume = this.base;
      this.base = null;
      this.set = null;
    }
  }
}
