import { describe, expect, it } from 'vitest';
import { canCast } from './cast-availability';

describe('canCast', () => {
  it('offers casting for a stored video that plays, converting or ready', () => {
    expect(canCast({ playable: true, status: 'ready' })).toBe(true);
    expect(canCast({ playable: true, status: 'processing' })).toBe(true);
  });

  it('offers nothing when there is no casting URL to make', () => {
    expect(canCast(null)).toBe(false); // a live or a camera: no stored media
    expect(canCast({ playable: false, status: 'processing' })).toBe(false);
    expect(canCast({ playable: false, status: 'queued' })).toBe(false);
    expect(canCast({ playable: true, status: 'failed' })).toBe(false);
  });
});
