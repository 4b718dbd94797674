import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Hls, { type ErrorData } from 'hls.js';
import type { MediaPlayerInstance } from '@vidstack/react';
import { MediaShell } from '../../player/media-shell';
import { useStatusReportFor, useSyncedVideo } from '../../player/sync/room-sync';
import type { LiveMode } from '@reelroom/contracts';
import { behindLiveLabel, LIVE_LOW_HLS_CONFIG_HOLD_OFF, liveHlsConfig, liveHoldDisabled } from './live-format';
import { followsRoomPosition, roomLiveHlsConfig } from './live-room-core';
import { useLatencyHold, type OwnPlace } from './use-latency-hold';
import { LiveWindowBar } from './live-window-bar';

interface Props {
  /** The live's master playlist (LiveStateView.playbackUrl). */
  src: string;
  /** standard: plain HLS two segments behind; low: LL-HLS at the playlist's PART-HOLD-BACK. */
  mode: LiveMode;
  /** The room whose playback state (its live position) this player follows. */
  roomId: string;
  /** The host's encoder dropped and may come back: the player plays what it has and waits at the edge. */
  reconnecting?: boolean;
}

/** How often the "behind live" figure is refreshed from hls.js. */
const LATENCY_EVERY_MS = 500;
/** Browsers refuse sound without a gesture: start muted then, the viewer unmutes (a player without the room's engine). */
function start(video: HTMLVideoElement) {
  video.play().catch(() => {
    video.muted = true;
    void video.play().catch(() => undefined);
  });
}

/** "Jump to live" without the room's engine (low latency): hls.js's live sync position, playing. */
function jumpToEdge(hls: Hls | null) {
  const el = hls?.media;
  if (!el) return;
  const edge = hls.liveSyncPosition;
  if (edge !== null) el.currentTime = edge;
  void el.play().catch(() => undefined);
}

/**
 * The room's live stream in the same player UI as videos. The room's sync engine drives the playhead:
 * everyone plays the room's live position (the same distance behind the edge, within the drift goal of
 * the video sync: same tiers, same correction core), hls.js only loads (roomLiveHlsConfig: no catch-up,
 * no jump to the edge of its own). A pause (or a speed) is this person's own: their player is held where
 * they are until "Jump to live", which goes back to the room's live position, not hls.js's edge. A LIVE
 * badge and how far behind live this player is (hls.js's measure: edge minus playhead). In low-latency
 * mode there is no shared live time to follow (followsRoomPosition): every player holds the room's
 * distance behind the edge, which every viewer sees alike (useLatencyHold); a pause or a seek back (the
 * window's seek bar, LiveWindowBar, the seek keys and the double tap, within the playlist's window) is the
 * person's own there too (their place is kept while the window still holds it), and "Jump to live" goes to
 * hls.js's live sync position (that distance).
 */
export function LivePlayer({ src, mode, roomId, reconnecting = false }: Props) {
  const hlsRef = useRef<Hls | null>(null);
  /** When hls.js last reported a stall (restoredTarget). */
  const lastStallAt = useRef<number | null>(null);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const follows = followsRoomPosition(mode);
  const sync = useSyncedVideo(follows ? roomId : null, video);
  const hold = useMemo(() => !follows && !liveHoldDisabled(), [follows]);
  const [player, setPlayer] = useState<MediaPlayerInstance | null>(null);
  const latencyHold = useLatencyHold(hlsRef, follows ? null : video, player, lastStallAt, hold);
  useStatusReportFor(roomId, video, !follows, latencyHold.drift);
  const [manifestParsed, setManifestParsed] = useState(false);
  // Without the room's engine (low latency) the player starts itself once it has both the element and
  // the parsed manifest, in whichever order they come: hls.js can parse the manifest before React has
  // the element, and starting from the manifest event alone then left the player paused for good.
  useEffect(() => {
    if (!follows && video && manifestParsed) start(video);
  }, [follows, video, manifestParsed]);
  const [latency, setLatency] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hlsConfig = useMemo(
    () => (follows ? roomLiveHlsConfig() : hold ? liveHlsConfig(mode) : LIVE_LOW_HLS_CONFIG_HOLD_OFF),
    [follows, hold, mode],
  );

  const onHls = useCallback(
    (hls: Hls) => {
      hlsRef.current = hls;
      window.__reelroom = { ...window.__reelroom, hls };
      if (!follows) hls.on(Hls.Events.MANIFEST_PARSED, () => setManifestParsed(true));
      hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
        if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) lastStallAt.current = Date.now();
        if (!data.fatal) return;
        // A live's network errors are mostly a segment not there yet: load again (media errors: Vidstack).
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
        else if (data.type !== Hls.ErrorTypes.MEDIA_ERROR) setError('The live stream could not be played in this browser.');
      });
      hls.on(Hls.Events.DESTROYING, () => {
        if (hlsRef.current === hls) hlsRef.current = null;
        if (window.__reelroom?.hls === hls) window.__reelroom = { ...window.__reelroom, hls: null };
      });
    },
    [follows],
  );
  useEffect(() => {
    const timer = setInterval(() => {
      const hls = hlsRef.current;
      setLatency(hls && Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : null);
    }, LATENCY_EVERY_MS);
    return () => clearInterval(timer);
  }, []);

  // Standard: the room's engine holds a paused person; low latency: the latency hold.
  const own: OwnPlace = follows ? (sync.snap?.liveHeld ? 'paused' : null) : latencyHold.own;
  const jumpToLive = () => {
    if (sync.engine) sync.engine.resync();
    else {
      latencyHold.release();
      jumpToEdge(hlsRef.current);
    }
  };
  const label = behindLiveLabel(latency);

  return (
    <div className="player live-player">
      <div className="player-frame">
        <MediaShell
          src={src}
          title="Live stream"
          live={follows ? 'room' : 'window'}
          hlsConfig={hlsConfig}
          canControl
          onHls={onHls}
          onVideo={setVideo}
          onPlayer={setPlayer}
          windowBar={follows ? undefined : <LiveWindowBar hlsRef={hlsRef} video={video} />}
        >
          {/* The browser refused to start with sound: one click (a user gesture) joins at the room's live position. */}
          {sync.engine && sync.snap?.blocked && (
            <button type="button" className="join-playback primary" onClick={() => sync.engine?.unblock()}>
              Click to join the live
            </button>
          )}
        </MediaShell>
      </div>
      <div className="player-bar">
        {reconnecting ? (
          // Not LIVE while nothing new comes, nor a "behind live" figure that only grows meanwhile.
          <span className="badge" data-testid="live-reconnecting">
            Reconnecting
          </span>
        ) : (
          <span className="badge live-badge" data-testid="live-badge">
            LIVE
          </span>
        )}
        {label && !reconnecting && (
          <span className="muted" data-testid="live-latency">
            {label}
          </span>
        )}
        {own && (
          <span className="muted" data-testid="live-held">
            {own === 'paused' ? 'Paused on your own: the room plays on' : 'Watching on your own: the room plays on'}
          </span>
        )}
        <button type="button" className={own ? 'primary' : undefined} onClick={jumpToLive}>
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
