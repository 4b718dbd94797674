import { describe, expect, it } from 'vitest';
import { syncPausedFromElement, type PausedState } from './pause-follow';

/** Vidstack's paused/playing signals as plain fields. */
class FakePlayer implements PausedState {
  paused: boolean;
  playing: boolean;
  constructor(paused: boolean) {
    this.paused = paused;
    this.playing = !paused;
  }
  get state() {
    return { paused: this.paused };
  }
  readonly $state = {
    paused: { set: (v: boolean) => void (this.paused = v) },
    playing: { set: (v: boolean) => void (this.playing = v) },
  };
}

describe(syncPausedFromElement.name, () => {
  it('sets Vidstack paused (and not playing) when the element paused and Vidstack missed it', () => {
    const player = new FakePlayer(false);
    expect(syncPausedFromElement({ paused: true }, player)).toBe(true);
    expect(player).toMatchObject({ paused: true, playing: false });
  });

  it('leaves agreeing states, a playing element and no player alone', () => {
    const paused = new FakePlayer(true);
    expect(syncPausedFromElement({ paused: true }, paused)).toBe(false);
    const playing = new FakePlayer(false);
    expect(syncPausedFromElement({ paused: false }, playing)).toBe(false);
    expect(playing).toMatchObject({ paused: false, playing: true });
    expect(syncPausedFromElement({ paused: true }, null)).toBe(false);
  });
});
