import { useCallback, useEffect, useMemo, useState } from 'react';
import Hls, { type ErrorData } from 'hls.js';
import type { MediaPlayerInstance } from '@vidstack/react';
import { MediaShell } from './media-shell';
import { useSyncedVideo } from './sync/room-sync';
import { SyncControls } from './sync/sync-controls';
import { ConversionStrip } from './conversion-strip';
import { CastButton } from './cast/cast-button';
import { SubtitleMenu } from './subtitle-menu';
import { useSubtitleChoice } from './use-subtitle-choice';
import { AudioTrackMenu } from './audio-track-menu';
import { useAudioTrackChoice } from './use-audio-track-choice';
import type { SyncDebug } from './sync/sync-engine';

declare global {
  interface Window {
    /**
     * For tests and debugging only: the Hls instance of the player on the page (null when none), so an
     * end-to-end test or a person in devtools can read levels, currentLevel and stats, and the Vidstack
     * player (its text tracks hold the subtitle cues it draws). The app never reads it.
     */
    __reelroom?: { hls: Hls | null; sync?: SyncDebug; player?: MediaPlayerInstance | null };
  }
}

interface Props {
  src: string;
  title?: string;
  /** Shown before playback, and all along for audio-only media (MediaView.posterUrl). */
  poster?: string | null;
  /** Storyboard WebVTT for seek-bar hover previews (MediaView.storyboardUrl). */
  storyboardUrl?: string | null;
  /** Known length (the probe's): the seek bar's scale while the stream is still growing. */
  durationSec?: number | null;
  /** Audio-only media: the poster stays, the quality menu has one entry. */
  audioOnly?: boolean;
  /** Keep this player in step with the room (shared play/pause/seek/speed); omit for a solo preview. */
  syncRoomId?: string;
  /**
   * Whether this person controls the room's playback now (follows their role and the room's lock). Without
   * control the player shows no play/seek/speed controls (they would only snap back): sound, captions,
   * quality, picture-in-picture and fullscreen stay.
   */
  canControl?: boolean;
  /** Percent converted while the video still converts (null once ready): the full length is then marked. */
  convertingPercent?: number | null;
  /** The subtitle track the room suggests (issue 12); the person's own choice wins. */
  subtitleSuggestion?: string | null;
  /** The stored media shown, when a casting URL can be made for it (cast/cast-availability.ts): shows Cast. */
  castMediaId?: string | null;
}

/**
 * startPosition 0: a stream still being encoded is an EVENT playlist, which hls.js treats as live and
 * would otherwise start near its live edge. EVENT playlists keep every segment, so playing from 0 and
 * following the growing playlist works; hls.js reloads it every target duration and treats it as VOD once
 * it carries #EXT-X-ENDLIST. liveMaxLatencyDuration stays unset, so hls.js never jumps ahead.
 */
const VOD_HLS_CONFIG = { capLevelToPlayerSize: false, startPosition: 0 } as const;

function publishHls(hls: Hls | null, previous?: Hls) {
  if (hls || window.__reelroom?.hls === previous) window.__reelroom = { ...window.__reelroom, hls };
}

/** A room's (or a solo) video: the player UI, the room's sync engine on its <video>, and sync controls. */
export function HlsPlayer({
  src,
  title,
  poster,
  storyboardUrl,
  durationSec,
  audioOnly = false,
  syncRoomId,
  canControl = true,
  convertingPercent = null,
  subtitleSuggestion = null,
  castMediaId = null,
}: Props) {
  // The <video> Vidstack renders, handed over once its provider is set up.
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const sync = useSyncedVideo(syncRoomId ?? null, video);
  const engine = sync.engine;
  useEffect(() => engine?.setCanControl(canControl), [engine, canControl]);
  const [error, setError] = useState<string | null>(null);
  const [playingLevel, setPlayingLevel] = useState<number | null>(null);
  const hlsConfig = useMemo(() => ({ ...VOD_HLS_CONFIG }), []);
  const [hls, setHls] = useState<Hls | null>(null);
  const [player, setPlayer] = useState<MediaPlayerInstance | null>(null);
  const subtitles = useSubtitleChoice(player, hls, src, subtitleSuggestion);
  const audioTracks = useAudioTrackChoice(hls, src);
  useEffect(() => {
    if (!player) return;
    window.__reelroom = { ...window.__reelroom, hls: window.__reelroom?.hls ?? null, player };
    return () => {
      if (window.__reelroom?.player === player) window.__reelroom = { ...window.__reelroom, player: null };
    };
  }, [player]);

  const onHls = useCallback((hls: Hls) => {
    publishHls(hls);
    setHls(hls);
    hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => setPlayingLevel(data.level));
    // Vidstack recovers media errors itself; what is left fatal is the network or the stream.
    hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
      if (!data.fatal || data.type === Hls.ErrorTypes.MEDIA_ERROR) return;
      setError(
        data.type === Hls.ErrorTypes.NETWORK_ERROR
          ? 'The video could not be loaded from the server. Check your connection and reload the page.'
          : 'This video could not be played in this browser.',
      );
    });
    hls.on(Hls.Events.DESTROYING, () => {
      publishHls(null, hls);
      setHls((current) => (current === hls ? null : current));
    });
  }, []);

  return (
    <div className="player" data-playing-level={playingLevel ?? ''} data-testid="player-box">
      <div className="player-frame">
        <MediaShell
          src={src}
          title={title ?? (audioOnly ? 'Audio' : 'Video')}
          poster={poster}
          storyboardUrl={storyboardUrl}
          durationSec={durationSec}
          audioOnly={audioOnly}
          convertedPercent={convertingPercent}
          hlsConfig={hlsConfig}
          canControl={canControl}
          onHls={onHls}
          onVideo={setVideo}
          onPlayer={setPlayer}
        >
          {/* The browser refused to start with sound: one click (a user gesture) joins at the room's position. */}
          {sync.engine && sync.snap?.blocked && (
            <button type="button" className="join-playback primary" onClick={() => sync.engine?.unblock()}>
              Click to join playback
            </button>
          )}
        </MediaShell>
      </div>
      {convertingPercent !== null && durationSec ? <ConversionStrip durationSec={durationSec} percent={convertingPercent} /> : null}
      {(subtitles.tracks.length > 0 || audioTracks.tracks.length > 1 || castMediaId) && (
        <div className="player-bar">
          <SubtitleMenu
            tracks={subtitles.tracks}
            activeId={subtitles.activeId}
            suggestedId={subtitles.suggestedId}
            onChoose={subtitles.choose}
          />
          <AudioTrackMenu tracks={audioTracks.tracks} activeIndex={audioTracks.activeIndex} onChoose={audioTracks.choose} />
          {castMediaId && <CastButton mediaId={castMediaId} title={title ?? 'this video'} />}
        </div>
      )}
      {sync.engine && sync.snap && <SyncControls engine={sync.engine} snap={sync.snap} canControl={canControl} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
