import { useEffect, useState, type RefObject } from 'react';
import { cueAt, parseStoryboardVtt, type StoryboardCue } from './storyboard-vtt';
import { useVideoValue } from './use-video-value';
import './storyboard.css';

interface Props {
  /** WebVTT URL (MediaView.storyboardUrl). */
  src: string;
  videoRef: RefObject<HTMLVideoElement | null>;
  /** Fallback length while the element does not know its duration (a stream still being encoded). */
  durationSec?: number | null;
}

function formatTime(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A thin seek strip above the native controls with storyboard hover previews: the tile under the
 * pointer's time is cut out of the sprite with background-position. Native controls give no hook for
 * hover thumbnails, hence a strip of our own; clicking it seeks.
 */
export function StoryboardStrip({ src, videoRef, durationSec }: Props) {
  const [cues, setCues] = useState<StoryboardCue[]>([]);
  const [hover, setHover] = useState<{ x: number; time: number } | null>(null);
  // Redraws the played part as time passes, and the scale once the element knows the length.
  const currentTime = useVideoValue(videoRef, (v) => v.currentTime);
  const videoDuration = useVideoValue(videoRef, (v) => v.duration);

  useEffect(() => {
    let cancelled = false;
    const url = new URL(src, window.location.href).toString();
    fetch(url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => {
        if (!cancelled) setCues(parseStoryboardVtt(text, url));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [src]);

  const duration =
    videoDuration !== null && Number.isFinite(videoDuration) && videoDuration > 0 ? videoDuration : (durationSec ?? cues.at(-1)?.end ?? 0);
  if (cues.length === 0 || !(duration > 0)) return null;
  const played = currentTime !== null ? Math.min(1, currentTime / duration) : 0;
  const cue = hover ? cueAt(cues, hover.time) : undefined;

  const timeAt = (e: React.MouseEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = Math.min(Math.max(0, e.clientX - rect.left), rect.width);
    return { x, time: (x / rect.width) * duration };
  };

  return (
    <div
      className="storyboard-strip"
      data-testid="storyboard-strip"
      role="slider"
      aria-label="Seek with preview"
      aria-valuemin={0}
      aria-valuemax={Math.round(duration)}
      aria-valuenow={Math.round(currentTime ?? 0)}
      onMouseMove={(e) => setHover(timeAt(e))}
      onMouseLeave={() => setHover(null)}
      onClick={(e) => {
        if (videoRef.current) videoRef.current.currentTime = timeAt(e).time;
      }}
    >
      <div className="played" style={{ width: `${played * 100}%` }} />
      {hover && cue && (
        <div
          className="storyboard-preview"
          data-testid="storyboard-preview"
          data-cue-start={cue.start}
          style={{
            left: hover.x,
            width: cue.w,
            height: cue.h,
            backgroundImage: `url("${cue.url}")`,
            backgroundPosition: `-${cue.x}px -${cue.y}px`,
          }}
        >
          <span className="time">{formatTime(hover.time)}</span>
        </div>
      )}
    </div>
  );
}
