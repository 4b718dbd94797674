import { describe, expect, it } from 'vitest';
import { FloodGuard } from './flood-guard.js';

describe(FloodGuard.name, () => {
  it('refuses a socket past the limit within one second without affecting others', () => {
    let t = 0;
    const g = new FloodGuard<string>(50, () => t);
    for (let i = 0; i < 50; i++) expect(g.hit('flooder')).toBe(true);
    expect(g.hit('flooder')).toBe(false);
    expect(g.hit('quiet')).toBe(true);
    t = 1000;
    expect(g.hit('flooder')).toBe(true);
  });
});
