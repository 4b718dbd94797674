import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import type Hls from 'hls.js';
import { useMediaRemote } from '@vidstack/react';
import { nearLiveEdge } from './live-latency';
import { behindText, liveWindowOf, placeInWindow, spokenBehind, type LiveWindow } from './live-window';
import './live-window-bar.css';

/** How often the bar reads the window and the playhead (the window slides a segment a second). */
const READ_EVERY_MS = 250;

interface Props {
  hlsRef: RefObject<Hls | null>;
  video: HTMLVideoElement | null;
}

/**
 * The seek bar of a low-latency live, in the player's control bar where a video's seek bar sits: the
 * playlist's window (live-window.ts), the playhead on it, and how far behind live that is. A drag (or the
 * slider's keys) is the person's own seek, sent when they let go through Vidstack's remote: the same seek
 * request as the arrow keys and J/L, so the latency hold treats it alike (away from the end: "on your own";
 * at the end: back with the room). The bar does not follow playback while it is held, so it never moves
 * under the person's finger.
 */
export function LiveWindowBar({ hlsRef, video }: Props) {
  const remote = useMediaRemote();
  const [view, setView] = useState<{ window: LiveWindow; placeSec: number } | null>(null);
  /** Where the person holds the thumb (null: not holding it). */
  const [held, setHeld] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  /** A pointer is down on the slider: only then does a held place outlive the next read. */
  const pointerDown = useRef(false);

  useEffect(() => {
    if (!video) return;
    const read = () => {
      const hls = hlsRef.current;
      const details = hls?.latestLevelDetails;
      const window =
        hls && details?.live
          ? liveWindowOf({
              fragmentStart: details.fragmentStart,
              edge: details.edge,
              liveSyncPosition: hls.liveSyncPosition,
              maxLatencySec: hls.config.liveMaxLatencyDuration ?? Number.POSITIVE_INFINITY,
            })
          : null;
      setView(window ? { window, placeSec: video.currentTime } : null);
      // A held place without a pointer down is a drag whose end no event told (never keep it).
      if (!pointerDown.current) setHeld(null);
    };
    read();
    const timer = setInterval(read, READ_EVERY_MS);
    return () => clearInterval(timer);
  }, [hlsRef, video]);

  // The native `change` (the thumb let go, or a key press) sends the seek; React's onChange is `input`
  // (every move while dragging), which only moves the thumb. The thumb stays where it was let go (not
  // back to the last read for up to READ_EVERY_MS). After a pointer, focus leaves the slider: the player's
  // keys (Space, K, J, L...) are skipped while an input has focus. After a key it stays, for the next one.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    const onPointerDown = () => (pointerDown.current = true);
    const onCommit = (e: Event) => {
      const to = Number(el.value);
      remote.seek(to, e);
      setView((v) => v && { ...v, placeSec: to });
      setHeld(null);
      if (pointerDown.current) el.blur();
      pointerDown.current = false;
    };
    // A drag the browser took back (a touch turned into a scroll) sends no change: follow playback again.
    const onLetGo = () => {
      pointerDown.current = false;
      setHeld(null);
    };
    // A thumb let go where it was taken sends no change either (the value did not change).
    const onPointerUp = () =>
      setTimeout(() => {
        if (!pointerDown.current) return;
        onLetGo();
        el.blur();
      }, 0);
    el.addEventListener('pointerdown', onPointerDown);
    el.addEventListener('pointerup', onPointerUp);
    el.addEventListener('change', onCommit);
    el.addEventListener('pointercancel', onLetGo);
    el.addEventListener('blur', onLetGo);
    return () => {
      el.removeEventListener('pointerdown', onPointerDown);
      el.removeEventListener('pointerup', onPointerUp);
      el.removeEventListener('change', onCommit);
      el.removeEventListener('pointercancel', onLetGo);
      el.removeEventListener('blur', onLetGo);
    };
  }, [remote]);

  // Until hls.js has a window, an empty bar that takes no input.
  const window = view?.window ?? { startSec: 0, endSec: 1 };
  const place = held ?? (view ? placeInWindow(view.placeSec, window) : window.endSec);
  const behind = window.endSec - place;
  const fill = ((place - window.startSec) / (window.endSec - window.startSec)) * 100;
  return (
    <div className="rr-live-window" data-testid="live-window">
      <input
        ref={input}
        type="range"
        aria-label="Position in the live"
        aria-valuetext={spokenBehind(behind)}
        disabled={!view}
        min={window.startSec}
        max={window.endSec}
        step="any"
        value={place}
        style={{ '--rr-fill': `${fill}%` } as CSSProperties}
        onChange={(e) => setHeld(Number(e.currentTarget.value))}
      />
      <span className="rr-live-window-behind" data-testid="live-window-behind" data-at-live={(view && nearLiveEdge(behind)) || undefined}>
        {view ? behindText(behind) : ''}
      </span>
    </div>
  );
}
