import { useEffect, useRef, useState } from 'react';
import Hls, { type ErrorData } from 'hls.js';
import { QualityMenu } from './quality-menu';
import { StoryboardStrip } from './storyboard-strip';
import type { QualityLevel } from './quality';
import { useSyncedVideo } from './sync/room-sync';
import { SyncControls } from './sync/sync-controls';
import { ViewerControls } from './viewer-controls';
import { ConversionStrip } from './conversion-strip';
import { SubtitleMenu } from './subtitle-menu';
import { useSubtitleChoice } from './use-subtitle-choice';
import { AudioTrackMenu } from './audio-track-menu';
import { useAudioTrackChoice } from './use-audio-track-choice';
import { CastButton } from './cast/cast-button';
import type { SyncDebug } from './sync/sync-engine';

declare global {
  interface Window {
    /**
     * For tests and debugging only: the Hls instance of the player on the page (null when none), so an
     * end-to-end test or a person in devtools can read levels, currentLevel and stats. The app never reads it.
     */
    __reelroom?: { hls: Hls | null; sync?: SyncDebug };
  }
}

type Mode = 'hls' | 'native' | 'unsupported';

interface Props {
  src: string;
  title?: string;
  /** Shown before playback, and all along for audio-only media (MediaView.posterUrl). */
  poster?: string | null;
  /** Storyboard WebVTT for seek-bar hover previews (MediaView.storyboardUrl). */
  storyboardUrl?: string | null;
  /** Known length, for the preview strip while the stream is still growing. */
  durationSec?: number | null;
  /** Audio-only media: no quality menu worth showing. */
  audioOnly?: boolean;
  /** Keep this player in step with the room (shared play/pause/seek/speed); omit for a solo preview. */
  syncRoomId?: string;
  /**
   * Whether this person controls the room's playback now (follows their role and the room's lock). Without
   * control the player shows no play/seek controls (they would only snap back), only sound and fullscreen.
   */
  canControl?: boolean;
  /** Percent converted while the video still converts (null once ready): the full length is then marked. */
  convertingPercent?: number | null;
  /** The subtitle track the room suggests (issue 12); the person's own choice wins. */
  subtitleSuggestion?: string | null;
  /** The stored media shown, when a casting URL can be made for it (cast/cast-availability.ts): shows Cast. */
  castMediaId?: string | null;
}

// hls.js recovers from most media errors with recoverMediaError(); after that it is the stream.
// https://github.com/video-dev/hls.js/blob/master/docs/API.md#fine-tuning
const MAX_RECOVERIES = 2;

/** What this browser does with HLS: hls.js over MSE, its own HLS support, or nothing. */
function detectMode(): Mode {
  if (Hls.isSupported()) return 'hls';
  // Safari on iOS has no MSE in some versions but plays HLS natively (and picks the quality itself).
  return document.createElement('video').canPlayType('application/vnd.apple.mpegurl') ? 'native' : 'unsupported';
}

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
  const videoRef = useRef<HTMLVideoElement>(null);
  const sync = useSyncedVideo(syncRoomId ?? null, videoRef, src);
  const engine = sync.engine;
  useEffect(() => engine?.setCanControl(canControl), [engine, canControl]);
  const hlsRef = useRef<Hls | null>(null);
  // The browser's abilities do not change while the page lives: read once.
  const [mode] = useState(detectMode);
  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [selected, setSelected] = useState(-1);
  const [playing, setPlaying] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Another stream: no levels, choice, or error yet. Adjusted while rendering (React's pattern for state
  // that follows a prop), so the previous stream's levels are never offered for the new one.
  const [shownSrc, setShownSrc] = useState(src);
  if (shownSrc !== src) {
    setShownSrc(src);
    setLevels([]);
    setSelected(-1);
    setPlaying(null);
    setError(null);
  }

  useEffect(() => {
    const video = videoRef.current;
    if (!video || mode === 'unsupported') return;
    if (mode === 'native') {
      video.src = src;
      return () => {
        video.removeAttribute('src');
        video.load();
      };
    }

    // startPosition 0: a stream still being encoded is an EVENT playlist, which hls.js treats as live and
    // would otherwise start near its live edge. EVENT playlists keep every segment, so playing from 0 and
    // following the growing playlist works; hls.js reloads it every target duration and treats it as VOD
    // once it carries #EXT-X-ENDLIST. liveMaxLatencyDuration stays unset, so hls.js never jumps ahead.
    const hls = new Hls({ capLevelToPlayerSize: false, startPosition: 0 });
    hlsRef.current = hls;
    window.__reelroom = { ...window.__reelroom, hls };
    let recoveries = 0;

    hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
      setLevels(data.levels.map((l, index) => ({ index, height: l.height, width: l.width, bitrate: l.bitrate })));
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => setPlaying(data.level));
    hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries < MAX_RECOVERIES) {
        recoveries += 1;
        hls.recoverMediaError();
        return;
      }
      setError(
        data.type === Hls.ErrorTypes.NETWORK_ERROR
          ? 'The video could not be loaded from the server. Check your connection and reload the page.'
          : 'This video could not be played in this browser.',
      );
      hls.destroy();
      if (hlsRef.current === hls) hlsRef.current = null;
      if (window.__reelroom?.hls === hls) window.__reelroom = { ...window.__reelroom, hls: null };
    });

    hls.attachMedia(video);
    hls.loadSource(src);

    return () => {
      hls.destroy();
      if (hlsRef.current === hls) hlsRef.current = null;
      if (window.__reelroom?.hls === hls) window.__reelroom = { ...window.__reelroom, hls: null };
    };
  }, [src, mode]);

  const subtitles = useSubtitleChoice(hlsRef, src, subtitleSuggestion);
  const audioTracks = useAudioTrackChoice(hlsRef, src);

  const selectLevel = (index: number) => {
    setSelected(index);
    // currentLevel switches right away (flushing the buffer); -1 hands the choice back to ABR.
    if (hlsRef.current) hlsRef.current.currentLevel = index;
  };

  return (
    <div className="player">
      <div className="player-frame">
        <video
          data-testid="player"
          ref={videoRef}
          controls={canControl}
          playsInline
          preload="metadata"
          poster={poster ?? undefined}
          aria-label={title ? `${audioOnly ? 'Audio' : 'Video'}: ${title}` : audioOnly ? 'Audio' : 'Video'}
        />
        {/* The browser refused to start with sound: one click (a user gesture) joins at the room's position. */}
        {sync.engine && sync.snap?.blocked && (
          <button type="button" className="join-playback primary" onClick={() => sync.engine?.unblock()}>
            Click to join playback
          </button>
        )}
      </div>
      {convertingPercent !== null && durationSec ? <ConversionStrip durationSec={durationSec} percent={convertingPercent} /> : null}
      {storyboardUrl && <StoryboardStrip src={storyboardUrl} videoRef={videoRef} durationSec={durationSec} />}
      <div className="player-bar">
        {title && <span className="player-title">{title}</span>}
        {!canControl && <ViewerControls videoRef={videoRef} />}
        {mode === 'hls' && !audioOnly && levels.length > 0 && (
          <QualityMenu levels={levels} selected={selected} playing={playing} onSelect={selectLevel} />
        )}
        {mode === 'native' && <span className="muted">Quality is chosen automatically by your browser.</span>}
        <SubtitleMenu
          tracks={subtitles.tracks}
          activeId={subtitles.activeId}
          suggestedId={subtitles.suggestedId}
          onChoose={subtitles.choose}
        />
        <AudioTrackMenu tracks={audioTracks.tracks} activeIndex={audioTracks.activeIndex} onChoose={audioTracks.choose} />
        {castMediaId && <CastButton mediaId={castMediaId} title={title ?? 'this video'} />}
      </div>
      {sync.engine && sync.snap && <SyncControls engine={sync.engine} snap={sync.snap} canControl={canControl} />}
      {mode === 'unsupported' && (
        <p className="error" role="alert">
          This browser cannot play HLS video. Try a recent Chrome, Firefox, Edge or Safari.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
