import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';
import Hls, { type HlsConfig } from 'hls.js';
import {
  Gesture,
  isHLSProvider,
  isVideoProvider,
  MediaPlayer,
  MediaProvider,
  Poster,
  type MediaPlayerInstance,
  type MediaProviderAdapter,
  type MediaProviderSetupEvent,
} from '@vidstack/react';
import { DefaultVideoLayout, defaultLayoutIcons } from '@vidstack/react/player/layouts/default';
import '@vidstack/react/player/styles/default/theme.css';
import '@vidstack/react/player/styles/default/layouts/video.css';
import { MAX_RATE, MIN_RATE } from '@reelroom/sync';
import { playerKeyShortcuts } from './player-keys';
import { syncPausedFromElement } from './pause-follow';
import { useStageView } from './stage-view';
import './media-shell.css';

/** The speed menu's slider: quarter steps across the rates the room accepts (0.5x to 2x). */
const SPEEDS = { min: MIN_RATE, max: MAX_RATE, step: 0.25 };

/** Words of the default layout we name more plainly. */
const TRANSLATIONS = { PiP: 'Picture-in-picture' };

interface Props {
  src: string;
  title: string;
  poster?: string | null;
  /** Storyboard WebVTT (`sprite.jpg#xywh=...` cues): previews on the seek bar. */
  storyboardUrl?: string | null;
  /** Known length (the probe's) while the stream is still growing. */
  durationSec?: number | null;
  /**
   * A live stream. 'room': a live whose playhead the room's sync engine drives (issue 8). Vidstack then
   * treats it as on-demand, because for a live it seeks to the edge on every play (its `play` handler,
   * unless the person scrubbed away), which would undo both the room's live position and a person's pause.
   * 'window': a live the person may step back in, within its playlist's window (low latency:
   * LL_WINDOW_SEGMENTS), with the seek keys, the double tap and `windowBar`: Vidstack's DVR live, with
   * no minimum window (its default, 60 s, refuses seeks in a live younger than that) and seekable from the
   * window's start (seekableFromTheStart). Its own seek bar gives way to `windowBar`: Vidstack maps a DVR
   * window as if it started at time 0 (the bar's fraction is currentTime / window), while hls.js counts a
   * live's time from its first segment, so its bar sat full and a drag landed before the window.
   */
  live?: boolean | 'room' | 'window';
  /** Percent converted while the video still converts: the rest of the seek bar is marked (hatched). */
  convertedPercent?: number | null;
  /** Audio-only media: the poster stays up while it plays (nothing else to look at). */
  audioOnly?: boolean;
  /** hls.js settings on top of Vidstack's (startPosition, live latency targets). */
  hlsConfig?: Partial<HlsConfig>;
  /** Whether this person may play, pause, seek and change the speed (the room's playback). */
  canControl: boolean;
  /** The hls.js instance once created (for error messages and the test/debug hook). */
  onHls?: (hls: Hls) => void;
  /** The <video> element, for the room's sync engine. */
  onVideo?: (video: HTMLVideoElement | null) => void;
  /** The player instance (its text tracks: the subtitle picker beside the player chooses through them). */
  onPlayer?: (player: MediaPlayerInstance | null) => void;
  /** Overlays over the picture (Click to join playback, floating reactions). */
  children?: ReactNode;
  /** Extra items at the end of the control bar (Jump to live). */
  barEnd?: ReactNode;
  /** live 'window': the seek bar over the live's window, in the seek bar's place (LiveWindowBar). */
  windowBar?: ReactNode;
}

/**
 * The one player UI: Vidstack's default video layout (play, seek bar with storyboard previews, volume,
 * quality Auto + rungs, speed, captions and caption styles, picture-in-picture, fullscreen, keyboard
 * shortcuts, touch gestures) driving our own hls.js build. Vidstack would fetch hls.js from a CDN by
 * default: we hand it the bundled library instead (offline installs, and the CSP allows only 'self').
 * In a room the fullscreen button is the room's (player + chat), and a theater-mode toggle joins the bar.
 */
/**
 * The default layout's seek-bar preview is an <img> without alt (Vidstack 1.15 renders Thumbnail.Img bare):
 * screen readers would read its URL. The time beside it says the same in words, so it is decorative.
 */
function useDecorativeThumbnails(el: HTMLElement | null): void {
  useEffect(() => {
    if (!el) return;
    const mark = () => {
      for (const img of el.querySelectorAll<HTMLImageElement>('.vds-slider-thumbnail img:not([alt])')) img.alt = '';
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(el, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [el]);
}

export function MediaShell({
  src,
  title,
  poster,
  storyboardUrl,
  durationSec,
  live = false,
  audioOnly = false,
  convertedPercent = null,
  hlsConfig,
  canControl,
  onHls,
  onVideo,
  onPlayer,
  children,
  barEnd,
  windowBar,
}: Props) {
  const room = useStageView();
  const [playerEl, setPlayerEl] = useState<HTMLElement | null>(null);
  const instance = useRef<MediaPlayerInstance | null>(null);
  const playerRef = useCallback(
    (player: MediaPlayerInstance | null) => {
      instance.current = player;
      onPlayer?.(player);
      setPlayerEl(player?.el ?? null);
    },
    [onPlayer],
  );
  const [videoEl, setVideoEl] = useState<HTMLVideoElement | null>(null);
  useDecorativeThumbnails(playerEl);
  useNoRewindOnPlay(live === 'window' ? playerEl : null);
  usePauseReachesVidstack(live === 'window' ? instance : null, videoEl);
  const onProviderChange = useCallback(
    (provider: MediaProviderAdapter | null) => {
      if (!isHLSProvider(provider)) return;
      provider.library = Hls;
      provider.config = { ...hlsConfig };
      if (live === 'window') provider.onInstance(seekableFromTheStart(instance));
      if (onHls) provider.onInstance(onHls);
    },
    [hlsConfig, onHls, live],
  );
  const onProviderSetup = useCallback(
    // The HLS provider is a video provider of its own type (isVideoProvider is false for it).
    (provider: MediaProviderAdapter, _e: MediaProviderSetupEvent) => {
      const video = isHLSProvider(provider) || isVideoProvider(provider) ? provider.video : null;
      setVideoEl(video);
      onVideo?.(video);
    },
    [onVideo],
  );
  const keyShortcuts = useMemo(
    () => playerKeyShortcuts(canControl, room?.toggleFullscreen, live === 'window'),
    [canControl, room?.toggleFullscreen, live],
  );

  const roomButtons = room ? (
    <>
      <button
        type="button"
        className="vds-button rr-theater"
        aria-pressed={room.theater}
        aria-label={room.theater ? 'Leave theater mode' : 'Theater mode'}
        title="Theater mode"
        onClick={room.toggleTheater}
      >
        <TheaterIcon />
      </button>
      <button
        type="button"
        className="vds-button rr-fullscreen"
        data-testid="room-fullscreen"
        aria-pressed={room.fullscreen}
        aria-label={room.fullscreen ? 'Exit fullscreen' : 'Fullscreen with chat'}
        title="Fullscreen (f)"
        onClick={room.toggleFullscreen}
      >
        <FullscreenIcon exit={room.fullscreen} />
      </button>
    </>
  ) : null;

  return (
    <MediaPlayer
      ref={playerRef}
      className="rr-player"
      data-testid="media-player"
      data-can-control={canControl}
      data-audio-only={audioOnly || undefined}
      data-converting={convertedPercent !== null || undefined}
      // Where the converted part ends on the seek bar (media-shell.css hatches the track after it).
      style={convertedPercent !== null ? { '--rr-converted': `${Math.min(100, Math.max(0, convertedPercent))}%` } : undefined}
      src={{ src, type: 'application/x-mpegurl' }}
      title={title}
      streamType={live === true ? 'live' : live === 'window' ? 'live:dvr' : 'on-demand'}
      minLiveDVRWindow={live === 'window' ? 0 : undefined}
      duration={durationSec && durationSec > 0 ? durationSec : undefined}
      playsInline
      load="eager"
      keyTarget="document"
      keyShortcuts={keyShortcuts}
      onProviderChange={onProviderChange}
      onProviderSetup={onProviderSetup}
    >
      <MediaProvider
        mediaProps={{ 'data-testid': 'player', 'aria-label': live ? 'Live stream' : `Video: ${title}` } as HTMLAttributes<HTMLMediaElement>}
      >
        {poster ? <Poster className="vds-poster" src={poster} alt={`Poster of ${title}`} /> : null}
      </MediaProvider>
      <DefaultVideoLayout
        icons={defaultLayoutIcons}
        // Absolute: Vidstack resolves the sprite names inside the WebVTT against the thumbnails URL only when
        // that URL is absolute, else against the page (/rooms/..., which answers the app's HTML).
        thumbnails={storyboardUrl ? new URL(storyboardUrl, window.location.href).href : undefined}
        playbackRates={SPEEDS}
        disableTimeSlider={!canControl}
        noGestures
        noModal
        noScrubGesture={!canControl}
        colorScheme="dark"
        // Vidstack names this button "PiP" (its tooltip says "Enter PiP"): a screen reader gets the words.
        translations={TRANSLATIONS}
        slots={{
          // Casting goes through the room's casting URL, not Google's sender SDK (a third-party script).
          googleCastButton: null,
          ...(canControl ? {} : { playButton: null, seekBackwardButton: null, seekForwardButton: null }),
          ...(room ? { fullscreenButton: roomButtons } : {}),
          // A live's player bar has its own LIVE badge and "Jump to live", which know a person's pause.
          ...(live === true ? { liveButton: null } : {}),
          ...(live === 'window' ? { liveButton: null, timeSlider: windowBar ?? null } : {}),
          beforeFullscreenButton: barEnd,
        }}
      >
        <div className="vds-gestures">
          {/* Tap shows the controls on touch; a click on the picture plays/pauses with a mouse (CSS picks). */}
          <Gesture className="vds-gesture" event="pointerup" action="toggle:controls" />
          {canControl && <Gesture className="vds-gesture" event="pointerup" action="toggle:paused" />}
          {canControl && <Gesture className="vds-gesture" event="dblpointerup" action="seek:-10" />}
          {canControl && <Gesture className="vds-gesture" event="dblpointerup" action="seek:10" />}
        </div>
      </DefaultVideoLayout>
      {children}
    </MediaPlayer>
  );
}

/**
 * A live 'window' can be sought from its start. Vidstack takes the playlist's length as the DVR window
 * (`inferredLiveDVRWindow`, set on every hls.js LEVEL_UPDATED) and allows a seek only while what it can
 * seek (up to hls.js's live sync position, which sits behind the edge) is at least that long: so never
 * until the window has slid by more than the player's distance behind the edge (a live younger than its
 * five-minute window took no seek key). With no inferred window, Vidstack's seekable range is the
 * element's up to the live sync position: hls.js gives the MediaSource the playlist's edge as its
 * duration, so that is [0, live sync position], and Vidstack clamps seeks to it. A seek before the
 * playlist's window is hls.js's to handle (it plays from its live sync position); the window bar keeps its
 * own seeks inside the window, and the number keys are off (player-keys). Reset after Vidstack's own
 * handler, which hls.js calls after this one: hence the microtask.
 */
function seekableFromTheStart(player: { current: MediaPlayerInstance | null }) {
  return (hls: Hls) => {
    hls.on(Hls.Events.LEVEL_UPDATED, () => queueMicrotask(() => player.current?.$state.inferredLiveDVRWindow.set(0)));
  };
}

/**
 * A live 'window': no seek back to the start when play starts. Vidstack, on every `play`, seeks a player
 * whose time equals its duration back to the start (a replay: `#resetPlaybackIfNeeded`). In a live window
 * its duration runs from 0 to hls.js's live sync position (seekableFromTheStart), so the two match
 * whenever the player sits at the live sync position, and play after "Jump to live" restarted the live
 * from its first second (seen in the e2e). That seek request is the only one without a trigger: a
 * person's (keys, gestures, the window bar) always has one. Capture on the player element runs before
 * Vidstack's own listener there.
 */
function useNoRewindOnPlay(playerEl: HTMLElement | null): void {
  useEffect(() => {
    if (!playerEl) return;
    const drop = (e: Event) => {
      if (!(e as Event & { trigger?: Event }).trigger) e.stopImmediatePropagation();
    };
    playerEl.addEventListener('media-seek-request', drop, { capture: true });
    return () => playerEl.removeEventListener('media-seek-request', drop, { capture: true });
  }, [playerEl]);
}

/**
 * A live 'window': the element's pause reaches Vidstack's state. Vidstack drops a `pause` event that comes
 * at readyState 1 (HAVE_METADATA) unless it saw `waiting` first (its HTML provider's onPause), and a
 * low-latency player that plays a part or two behind the edge gets there. The element was then paused
 * while Vidstack said playing: its play button showed pause, and K (which toggles by Vidstack's state)
 * paused again instead of playing. Seen in a full e2e run: a pause event in the media log, `data-paused`
 * never set for 20 s. After Vidstack's own handler (a microtask later), its state is set from the element.
 */
function usePauseReachesVidstack(player: { current: MediaPlayerInstance | null } | null, video: HTMLVideoElement | null): void {
  useEffect(() => {
    if (!player || !video) return;
    const follow = () => queueMicrotask(() => void syncPausedFromElement(video, player.current));
    video.addEventListener('pause', follow);
    return () => video.removeEventListener('pause', follow);
  }, [player, video]);
}

function TheaterIcon() {
  return (
    <svg className="vds-icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="4" y="9" width="24" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}

function FullscreenIcon({ exit }: { exit: boolean }) {
  const d = exit ? 'M12 5v7H5M20 5v7h7M12 27v-7H5M20 27v-7h7' : 'M5 12V5h7M27 12V5h-7M5 20v7h7M27 20v7h-7';
  return (
    <svg className="vds-icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}
