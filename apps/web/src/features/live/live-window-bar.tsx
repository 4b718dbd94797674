import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import type Hls from 'hls.js';
import { useMediaRemote } from '@vidstack/react';
import { behindText, isAtLive, liveWindowOf, placeInWindow, spokenBehind, type LiveWindow } from './live-window';
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

  useEffect(() => {
    if (!video) return;
    const read = () => {
      const hls = hlsRef.current;
      const details = hls?.latestLevelDetails;
      const window = liveWindowOf(details?.live ? details.fragmentStart : null, hls?.liveSyncPosition);
      setView(window ? { window, placeSec: video.currentTime } : null);
    };
    read();
    const timer = setInterval(read, READ_EVERY_MS);
    return () => clearInterval(timer);
  }, [hlsRef, video]);

  // The native `change` (the thumb let go, or a key press) sends the seek; React's onChange is `input`
  // (every move while dragging), which only moves the thumb.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    const onCommit = (e: Event) => {
      remote.seek(Number(el.value), e);
      setHeld(null);
    };
    el.addEventListener('change', onCommit);
    return () => el.removeEventListener('change', onCommit);
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
      <span className="rr-live-window-behind" data-testid="live-window-behind" data-at-live={(view && isAtLive(behind)) || undefined}>
        {view ? behindText(behind) : ''}
      </span>
    </div>
  );
}
