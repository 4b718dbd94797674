import type { MediaKeyShortcuts } from '@vidstack/react';

/** How far J and L jump (YouTube's convention); the arrow keys keep Vidstack's 5 s step. */
export const JUMP_SEC = 10;

/**
 * Number keys (jump to 0 %..90 %) are a seek too: a viewer without control gets a no-op for them, and so
 * does a live window, where Vidstack takes the percentages of the whole live (its duration there runs from
 * time 0 to the live sync position), mostly before the window.
 */
const NUMBER_KEYS = '0 1 2 3 4 5 6 7 8 9';
const NO_NUMBER_SEEK = { keys: NUMBER_KEYS, onKeyDown: () => undefined };

/**
 * The player's keyboard shortcuts (Vidstack listens on the whole document and skips them while focus is in
 * an input, a textarea, a select or a menu). Space/K play-pause, J/L -10/+10 s, Left/Right -5/+5 s,
 * Up/Down volume, M mute, C captions, F fullscreen (the room's, with chat, when `fullscreen` is given).
 * Without control of the room's playback, play and seek keys are left out: they would only snap back.
 * `liveWindow`: a low-latency live (MediaShell's live 'window'), with no number keys.
 */
export function playerKeyShortcuts(canControl: boolean, fullscreen?: () => void, liveWindow = false): MediaKeyShortcuts {
  const common: MediaKeyShortcuts = {
    toggleMuted: 'm M',
    toggleCaptions: 'c C',
    togglePictureInPicture: 'i',
    volumeUp: 'ArrowUp',
    volumeDown: 'ArrowDown',
    toggleFullscreen: fullscreen ? null : 'f F',
    roomFullscreen: fullscreen ? { keys: 'f F', onKeyDown: () => fullscreen() } : null,
  };
  if (!canControl) {
    return {
      ...common,
      togglePaused: null,
      seekBackward: null,
      seekForward: null,
      speedUp: null,
      slowDown: null,
      noSeek: NO_NUMBER_SEEK,
    };
  }
  return {
    ...common,
    togglePaused: 'k K Space',
    seekBackward: 'ArrowLeft',
    seekForward: 'ArrowRight',
    // Through the remote's seek request, as the arrow keys and the seek bar go: a low-latency live knows a
    // person's seek by it (use-latency-hold.ts), and setting player.currentTime bypasses it.
    jumpBack: { keys: 'j J', onKeyDown: ({ player, remote, event }) => remote.seek(Math.max(0, player.currentTime - JUMP_SEC), event) },
    jumpForward: {
      keys: 'l L',
      // Up to the end of what can be sought: a video's duration, a live's live sync position (a live's
      // duration is its window's length, while its times count from its first segment).
      onKeyDown: ({ player, remote, event }) =>
        remote.seek(Math.min(player.state.seekableEnd || Infinity, player.currentTime + JUMP_SEC), event),
    },
    speedUp: null,
    slowDown: null,
    ...(liveWindow ? { noSeek: NO_NUMBER_SEEK } : {}),
  };
}
