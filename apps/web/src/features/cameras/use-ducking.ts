import { useEffect, useRef } from 'react';
import { othersSpeaking, type CameraState } from './camera-store';
import { Ducker } from './ducking';

/**
 * Lowers the room's player while someone else on camera talks, when this viewer turned it on. The player
 * is found by its test id (HlsPlayer and LivePlayer both render `<video data-testid="player">`), so the
 * players need not know about cameras.
 */
export function useDucking(state: CameraState): void {
  const ducker = useRef(new Ducker());
  const talking = othersSpeaking(state);
  const enabled = state.duck && state.status === 'on';
  useEffect(() => {
    ducker.current.update(document.querySelector<HTMLMediaElement>('[data-testid="player"]'), talking, enabled);
  }, [talking, enabled]);
  useEffect(() => {
    const d = ducker.current;
    return () => d.update(document.querySelector<HTMLMediaElement>('[data-testid="player"]'), false, false);
  }, []);
}
