import { useEffect, useRef, useState } from 'react';
import Hls, { type ErrorData } from 'hls.js';
import { QualityMenu } from '../../player/quality-menu';
import type { QualityLevel } from '../../player/quality';
import { behindLiveLabel, LIVE_HLS_CONFIG } from './live-format';

interface Props {
  /** The live's master playlist (LiveStateView.playbackUrl). */
  src: string;
}

/** How often the "behind live" figure is refreshed from hls.js. */
const LATENCY_EVERY_MS = 500;
/** Further behind than this (seconds), "Jump to live" is highlighted (after a pause, a stall). */
const FAR_BEHIND_SEC = 6;

/**
 * The room's live stream: hls.js with live settings (two segments behind the edge, catch-up up to 1.5x),
 * a LIVE badge, how far behind live this player is (hls.js's own measure: edge minus playhead), and
 * "Jump to live" after a pause or a stall. Each viewer watches at their own distance from the edge: the
 * room's shared playback (sync) is for videos; live sync distance is not built yet.
 */
export function LivePlayer({ src }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [latency, setLatency] = useState<number | null>(null);
  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [selected, setSelected] = useState(-1);
  const [playing, setPlaying] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [native] = useState(() => !Hls.isSupported());

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const start = () => {
      // Browsers refuse sound without a gesture: start muted then, the viewer unmutes.
      video.play().catch(() => {
        video.muted = true;
        void video.play().catch(() => undefined);
      });
    };
    if (native) {
      video.src = src;
      start();
      return () => {
        video.removeAttribute('src');
        video.load();
      };
    }
    const hls = new Hls({ ...LIVE_HLS_CONFIG });
    hlsRef.current = hls;
    window.__reelroom = { ...window.__reelroom, hls };
    hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
      setLevels(data.levels.map((l, index) => ({ index, height: l.height, width: l.width, bitrate: l.bitrate })));
      start();
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => setPlaying(data.level));
    hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
        return;
      }
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
        hls.startLoad();
        return;
      }
      setError('The live stream could not be played in this browser.');
    });
    hls.attachMedia(video);
    hls.loadSource(src);
    const timer = setInterval(() => setLatency(Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : null), LATENCY_EVERY_MS);
    return () => {
      clearInterval(timer);
      hls.destroy();
      if (hlsRef.current === hls) hlsRef.current = null;
      if (window.__reelroom?.hls === hls) window.__reelroom = { ...window.__reelroom, hls: null };
    };
  }, [src, native]);

  const jumpToLive = () => {
    const video = videoRef.current;
    const edge = hlsRef.current?.liveSyncPosition;
    if (!video) return;
    if (edge !== null && edge !== undefined) video.currentTime = edge;
    void video.play().catch(() => undefined);
  };
  const selectLevel = (index: number) => {
    setSelected(index);
    // -1 hands the choice back to ABR (the "Auto" entry).
    if (hlsRef.current) hlsRef.current.currentLevel = index;
  };
  const label = behindLiveLabel(latency);

  return (
    <div className="player live-player">
      <video data-testid="player" ref={videoRef} controls playsInline autoPlay aria-label="Live stream" />
      <div className="player-bar">
        <span className="badge live-badge" data-testid="live-badge">
          LIVE
        </span>
        {label && (
          <span className="muted" data-testid="live-latency">
            {label}
          </span>
        )}
        <button type="button" className={latency !== null && latency > FAR_BEHIND_SEC ? 'primary' : undefined} onClick={jumpToLive}>
          Jump to live
        </button>
        {levels.length > 0 && <QualityMenu levels={levels} selected={selected} playing={playing} onSelect={selectLevel} />}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
