import { describe, expect, it } from 'vitest';
import { Ducker, DUCK_FACTOR } from './ducking';

describe(Ducker.name, () => {
  it('lowers the film while others talk and restores the volume it lowered from', () => {
    const player = { volume: 0.8 };
    const d = new Ducker();
    d.update(player, true, true);
    expect(player.volume).toBeCloseTo(0.8 * DUCK_FACTOR);
    d.update(player, true, true);
    expect(player.volume).toBeCloseTo(0.8 * DUCK_FACTOR);
    d.update(player, false, true);
    expect(player.volume).toBe(0.8);
  });

  it('does nothing when turned off, and restores when turned off mid-duck', () => {
    const player = { volume: 1 };
    const d = new Ducker();
    d.update(player, true, false);
    expect(player.volume).toBe(1);
    d.update(player, true, true);
    expect(d.ducked).toBe(true);
    d.update(player, true, false);
    expect(player.volume).toBe(1);
    expect(d.ducked).toBe(false);
  });

  it("keeps the person's own volume when they moved the slider while it was lowered", () => {
    const player = { volume: 1 };
    const d = new Ducker();
    d.update(player, true, true);
    player.volume = 0.6;
    d.update(player, false, true);
    expect(player.volume).toBe(0.6);
  });

  it('copes with no player', () => {
    const d = new Ducker();
    d.update(null, true, true);
    expect(d.ducked).toBe(false);
  });
});
