/** What syncPausedFromElement needs of Vidstack's player: its paused state, and a way to set it. */
export interface PausedState {
  readonly state: { readonly paused: boolean };
  readonly $state: { paused: { set(value: boolean): void }; playing: { set(value: boolean): void } };
}

/**
 * Vidstack's paused state set from the element's, when they disagree the one way Vidstack leaves them in:
 * the element paused, Vidstack still "playing" (it drops a `pause` event at readyState 1 unless it saw
 * `waiting` first; media-shell's usePauseReachesVidstack). True when it set it.
 */
export function syncPausedFromElement(video: Pick<HTMLMediaElement, 'paused'>, player: PausedState | null): boolean {
  if (!player || !video.paused || player.state.paused) return false;
  player.$state.paused.set(true);
  player.$state.playing.set(false);
  return true;
}
