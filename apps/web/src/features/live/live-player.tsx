import { useCallback, useEffect, useRef, useState } from 'react';
import Hls, { type ErrorData } from 'hls.js';
import { MediaShell } from '../../player/media-shell';
import type { LiveMode } from '@reelroom/contracts';
import { behindLiveLabel, liveHlsConfig } from './live-format';

interface Props {
  /** The live's master playlist (LiveStateView.playbackUrl). */
  src: string;
  /** standard: plain HLS two segments behind; low: LL-HLS at the playlist's PART-HOLD-BACK. */
  mode: LiveMode;
}

/** How often the "behind live" figure is refreshed from hls.js. */
const LATENCY_EVERY_MS = 500;
/** Further behind than this (seconds), "Jump to live" is highlighted (after a pause, a stall). */
const FAR_BEHIND_SEC = 6;

/** Browsers refuse sound without a gesture: start muted then, the viewer unmutes. */
function start(video: HTMLVideoElement) {
  video.play().catch(() => {
    video.muted = true;
    void video.play().catch(() => undefined);
  });
}

/**
 * The room's live stream in the same player UI as videos, with hls.js's live settings for its mode (two
 * segments behind the edge, or LL-HLS parts at PART-HOLD-BACK; catch-up up to 1.5x), a LIVE badge, how far behind live this player is (hls.js's own measure:
 * edge minus playhead), and "Jump to live" after a pause or a stall. Each viewer watches at their own
 * distance from the edge (and so controls their own player): the room's shared playback is for videos.
 */
export function LivePlayer({ src, mode }: Props) {
  const hlsRef = useRef<Hls | null>(null);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [latency, setLatency] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onHls = useCallback((hls: Hls) => {
    hlsRef.current = hls;
    window.__reelroom = { ...window.__reelroom, hls };
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (videoRef.current) start(videoRef.current);
    });
    hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
      if (!data.fatal) return;
      // A live's network errors are mostly a segment not there yet: load again (media errors: Vidstack).
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
      else if (data.type !== Hls.ErrorTypes.MEDIA_ERROR) setError('The live stream could not be played in this browser.');
    });
    hls.on(Hls.Events.DESTROYING, () => {
      if (hlsRef.current === hls) hlsRef.current = null;
      if (window.__reelroom?.hls === hls) window.__reelroom = { ...window.__reelroom, hls: null };
    });
  }, []);
  const onVideo = useCallback((video: HTMLVideoElement | null) => {
    videoRef.current = video;
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      const hls = hlsRef.current;
      setLatency(hls && Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : null);
    }, LATENCY_EVERY_MS);
    return () => clearInterval(timer);
  }, []);

  const jumpToLive = () => {
    const video = videoRef.current;
    const edge = hlsRef.current?.liveSyncPosition;
    if (!video) return;
    if (edge !== null && edge !== undefined) video.currentTime = edge;
    void video.play().catch(() => undefined);
  };
  const label = behindLiveLabel(latency);

  return (
    <div className="player live-player">
      <div className="player-frame">
        <MediaShell src={src} title="Live stream" live hlsConfig={liveHlsConfig(mode)} canControl onHls={onHls} onVideo={onVideo} />
      </div>
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
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
