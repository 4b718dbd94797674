import { createContext, useCallback, useContext, useEffect, useState, type RefObject } from 'react';

/**
 * The room's own fullscreen and theater mode. Fullscreen holds the whole room grid (player, sync controls,
 * floating reactions and the chat as a side panel), not the player alone, so the party goes on in
 * fullscreen; the player's fullscreen button and the F key use it when the player sits in a room.
 */
export interface StageView {
  fullscreen: boolean;
  toggleFullscreen: () => void;
  /** Chat beside the player in fullscreen (people may hide it for a clean picture). */
  chatShown: boolean;
  toggleChat: () => void;
  theater: boolean;
  toggleTheater: () => void;
}

export const StageViewContext = createContext<StageView | null>(null);

/** The room's view controls, or null for a player outside a room. */
export function useStageView(): StageView | null {
  return useContext(StageViewContext);
}

/** State and actions for the element (the room grid) that fullscreen holds. */
export function useStageViewState(target: RefObject<HTMLElement | null>): StageView {
  const [fullscreen, setFullscreen] = useState(false);
  const [chatShown, setChatShown] = useState(true);
  const [theater, setTheater] = useState(false);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement !== null && document.fullscreenElement === target.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [target]);

  const toggleFullscreen = useCallback(() => {
    const el = target.current;
    if (!el) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void el.requestFullscreen?.({ navigationUI: 'hide' }).catch(() => undefined);
  }, [target]);

  return {
    fullscreen,
    toggleFullscreen,
    chatShown,
    toggleChat: useCallback(() => setChatShown((s) => !s), []),
    theater,
    toggleTheater: useCallback(() => setTheater((s) => !s), []),
  };
}
