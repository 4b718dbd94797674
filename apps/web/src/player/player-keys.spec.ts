import type { MediaKeysCallback } from '@vidstack/react';
import { describe, expect, it } from 'vitest';
import { JUMP_SEC, playerKeyShortcuts } from './player-keys';

type KeyDown = NonNullable<MediaKeysCallback['onKeyDown']>;
/**
 * Presses a shortcut. The player's time is read-only here: a seek must be a request through the remote (as
 * Vidstack's own keys and seek bar send them), which moves it.
 */
const press = (shortcut: unknown, at: { currentTime: number; duration: number; seekableEnd?: number }) => {
  const player = {
    get currentTime() {
      return at.currentTime;
    },
    duration: at.duration,
    // Vidstack's state: the end of what can be sought (a video's duration; a live's live sync position).
    state: { seekableEnd: at.seekableEnd ?? at.duration },
  };
  const remote = { seek: (t: number) => (at.currentTime = t) };
  (shortcut as MediaKeysCallback).onKeyDown!({ player, remote, event: null } as unknown as Parameters<KeyDown>[0]);
};

describe(playerKeyShortcuts.name, () => {
  it('gives a person in control play/pause on Space and K, and J/L jumps of 10 s within the video, as seek requests', () => {
    const keys = playerKeyShortcuts(true);
    expect(keys.togglePaused).toBe('k K Space');
    const player = { currentTime: 5, duration: 30 };
    press(keys.jumpForward, player);
    expect(player.currentTime).toBe(5 + JUMP_SEC);
    press(keys.jumpForward, player);
    press(keys.jumpForward, player);
    expect(player.currentTime).toBe(30);
    press(keys.jumpBack, player);
    press(keys.jumpBack, player);
    press(keys.jumpBack, player);
    press(keys.jumpBack, player);
    expect(player.currentTime).toBe(0);
  });

  it("jumps forward within a live's window: its times run past the window's length (hls.js counts from the live's first segment)", () => {
    const keys = playerKeyShortcuts(true);
    // A live an hour in, 5 min window: Vidstack's duration is the window (300 s), its times are the live's.
    const player = { currentTime: 3_580, duration: 300, seekableEnd: 3_598.5 };
    press(keys.jumpForward, player);
    expect(player.currentTime).toBe(3_580 + JUMP_SEC);
    press(keys.jumpForward, player);
    expect(player.currentTime).toBe(3_598.5);
  });

  it("turns the number keys off in a live's window, and leaves them to Vidstack for a video", () => {
    expect((playerKeyShortcuts(true, undefined, true).noSeek as MediaKeysCallback).keys).toContain('5');
    expect(playerKeyShortcuts(true).noSeek).toBeUndefined();
  });

  it('leaves play, seek and number keys out for a viewer without control, and keeps sound, captions and fullscreen', () => {
    const keys = playerKeyShortcuts(false);
    expect(keys.togglePaused).toBeNull();
    expect(keys.seekBackward).toBeNull();
    expect(keys.seekForward).toBeNull();
    expect(keys.jumpBack).toBeUndefined();
    expect((keys.noSeek as MediaKeysCallback).keys).toContain('5');
    expect(keys.toggleMuted).toBe('m M');
    expect(keys.toggleCaptions).toBe('c C');
    expect(keys.toggleFullscreen).toBe('f F');
  });

  it("hands F to the room's fullscreen when the player sits in a room", () => {
    let calls = 0;
    const keys = playerKeyShortcuts(false, () => (calls += 1));
    expect(keys.toggleFullscreen).toBeNull();
    press(keys.roomFullscreen, { currentTime: 0, duration: 0 });
    expect(calls).toBe(1);
  });
});
