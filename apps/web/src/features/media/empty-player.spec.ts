import { describe, expect, it } from 'vitest';
import { emptyPlayerMessage } from './empty-player';

describe(emptyPlayerMessage.name, () => {
  it('never asks to pick from an empty list', () => {
    expect(emptyPlayerMessage([], null)).toMatch(/^No videos here yet\. Upload one/);
  });

  it('asks to pick once something can play, says to wait while converting, and points at a list of failures', () => {
    expect(emptyPlayerMessage([{ status: 'processing', playable: true }], null)).toMatch(/^Pick a video/);
    expect(emptyPlayerMessage([{ status: 'queued', playable: false }], null)).toMatch(/on its way/);
    expect(emptyPlayerMessage([{ status: 'importing', playable: false }], null)).toMatch(/on its way/);
    expect(
      emptyPlayerMessage(
        [
          { status: 'failed', playable: false },
          { status: 'importing', playable: false },
        ],
        null,
      ),
    ).toMatch(/on its way/);
    expect(emptyPlayerMessage([{ status: 'failed', playable: false }], null)).toMatch(/retry or delete/);
  });

  it('says when the room plays something this page cannot show yet', () => {
    expect(emptyPlayerMessage([], 'm1')).toMatch(/not ready here yet/);
  });
});
