import { useEffect, useState, type RefObject } from 'react';

/**
 * What a viewer without playback control still decides for themselves: sound and fullscreen. The
 * browser's own controls are hidden for them (their play and seek would only snap back).
 */
export function ViewerControls({ videoRef }: { videoRef: RefObject<HTMLVideoElement | null> }) {
  const [muted, setMuted] = useState(false);
  const [volume, setVolume] = useState(1);

  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    const read = () => {
      setMuted(v.muted);
      setVolume(v.volume);
    };
    read();
    v.addEventListener('volumechange', read);
    return () => v.removeEventListener('volumechange', read);
  }, [videoRef]);

  return (
    <span className="viewer-controls" data-testid="viewer-controls">
      <button
        type="button"
        className="small-button"
        aria-pressed={muted}
        onClick={() => videoRef.current && (videoRef.current.muted = !muted)}
      >
        {muted ? 'Unmute' : 'Mute'}
      </button>
      <input
        type="range"
        aria-label="Volume"
        min={0}
        max={1}
        step={0.05}
        value={muted ? 0 : volume}
        onChange={(e) => {
          const v = videoRef.current;
          if (!v) return;
          v.volume = Number(e.target.value);
          v.muted = v.volume === 0;
        }}
      />
      <button type="button" className="small-button" onClick={() => void videoRef.current?.requestFullscreen?.().catch(() => undefined)}>
        Fullscreen
      </button>
    </span>
  );
}
