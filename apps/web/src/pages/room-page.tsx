import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { MediaView, RoomPreview, RoomView, UserView } from '@reelroom/contracts';
import { useAuth } from '../features/auth/auth-context';
import { CameraStrip } from '../features/cameras/camera-strip';
import { useCameraCall } from '../features/cameras/use-camera-call';
import { ChatPanel } from '../features/chat/chat-panel';
import { FloatingReactions } from '../features/chat/floating-reactions';
import { useRoomChat } from '../features/chat/use-room-chat';
import { GoLivePanel } from '../features/live/go-live-panel';
import { liveNotice } from '../features/live/live-format';
import { useRoomLive } from '../features/live/use-room-live';
import { roomStage, switchableLive } from '../features/live/live-room-core';
import { useLiveSwitch } from '../features/live/use-live-switch';
import { MediaList } from '../features/media/media-list';
import { Uploader } from '../features/media/uploader';
import { LinkImporter } from '../features/media/link-importer';
import { LibraryPicker } from '../features/library/library-picker';
import { useMediaActions } from '../features/media/use-media-actions';
import { useNowPlaying } from '../features/media/use-now-playing';
import { useRoomMedia } from '../features/media/use-room-media';
import { emptyPlayerMessage } from '../features/media/empty-player';
import { SubtitlesPanel } from '../features/subtitles/subtitles-panel';
import { sourceWithSubtitles, useMediaSubtitles } from '../features/subtitles/use-media-subtitles';
import { canCast } from '../player/cast/cast-availability';
import { PeoplePanel } from '../features/presence/people-panel';
import { UpNextPanel } from '../features/queue/up-next-panel';
import { useUpNext } from '../features/queue/use-up-next';
import { usePresence } from '../features/presence/use-presence';
import { JoinRoomForm } from '../features/rooms/join-room-form';
import { RoomEnded } from '../features/rooms/room-ended';
import { RoomLink } from '../features/rooms/room-link';
import { RoomSettingsPanel } from '../features/rooms/room-settings-panel';
import { roomPanelId, RoomTabs, type RoomTab } from '../features/rooms/room-tabs';
import { useJoinedRoom } from '../features/rooms/use-joined-room';
import { useInvitePin } from '../features/rooms/use-invite-pin';
import { useRoomTitle } from '../features/rooms/use-room-title';
import { useRoomPreview } from '../features/rooms/use-room-preview';
import { CLOSED_MESSAGE, useRoomSettings } from '../features/rooms/use-room-settings';
import { StageViewContext, useStageViewState } from '../player/stage-view';
import { Link } from '../router/router';

// hls.js and the player UI (Vidstack) are most of the bundle; load them only in a room with something to
// watch (see usePreloadPlayer).
const loadHlsPlayer = () => import('../player/hls-player');
const HlsPlayer = lazy(() => loadHlsPlayer().then((m) => ({ default: m.HlsPlayer })));

/**
 * Fetches and parses the player's chunk as soon as the room lists a video, not when someone presses play:
 * the click then starts hls.js at once (issue 11, time to first frame). The module is cached after the
 * first import, so the lazy component above resolves immediately.
 */
function usePreloadPlayer(hasMedia: boolean) {
  useEffect(() => {
    if (hasMedia) void loadHlsPlayer().catch(() => undefined); // the lazy import reports a failure itself
  }, [hasMedia]);
}
const LivePlayer = lazy(() => import('../features/live/live-player').then((m) => ({ default: m.LivePlayer })));

export function RoomPage({ roomId }: { roomId: string }) {
  const { state: auth } = useAuth();
  const invitePin = useInvitePin();
  const { state: room, retry, joinWithPin, joinAsGuest } = useJoinedRoom(roomId, invitePin);
  const preview = useRoomPreview(roomId);

  if (auth.status === 'loading') return <p className="muted">Loading…</p>;
  if (auth.status !== 'signed-in') {
    const next = encodeURIComponent(`/r/${roomId}`);
    return (
      <section className="card narrow join-card">
        <h1>Join this room</h1>
        <RoomPreviewLine preview={preview} />
        <p>Pick a name to watch and chat as a guest, or sign in to join with your account.</p>
        <JoinRoomForm asGuest preview={preview} onJoin={joinAsGuest} invitePin={invitePin} />
        <p className="muted or">Have an account?</p>
        <div className="row">
          <Link href={`/login?next=${next}`} className="button">
            Sign in
          </Link>
          <Link href={`/register?next=${next}`} className="button">
            Create account
          </Link>
        </div>
      </section>
    );
  }
  if (room.status === 'loading') return <p className="muted">Opening room…</p>;
  if (room.status === 'needs-pin') {
    return (
      <section className="card narrow join-card">
        <h1>Join this room</h1>
        <RoomPreviewLine preview={preview} />
        <p>
          {preview ? 'This room needs a PIN.' : 'This room may need a PIN.'} Enter it to join as {auth.user.displayName}.
        </p>
        <JoinRoomForm
          asGuest={false}
          pinNeeded
          preview={preview}
          error={room.error}
          onJoin={({ pin }) => joinWithPin(pin)}
          invitePin={invitePin}
        />
        <p className="muted">
          Wrong link? <Link href="/">Back to my rooms</Link>
        </p>
      </section>
    );
  }
  if (room.status === 'error') {
    return (
      <section className="card narrow error" role="alert">
        <h1>Could not open this room</h1>
        <p>{room.message}</p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </section>
    );
  }
  if (room.room.closedAt) return <RoomEnded end={{ reason: 'closed', message: CLOSED_MESSAGE }} />;
  return <Room initial={room.room} user={auth.user} />;
}

/** The room's name, host and audience, once the link is known to be right (nothing otherwise). */
function RoomPreviewLine({ preview }: { preview: RoomPreview | null }) {
  if (!preview) return null;
  return (
    <p className="room-preview" data-testid="room-preview">
      <strong>{preview.name}</strong>
      <span className="muted">
        {' '}
        · hosted by {preview.hostName} · {preview.watching} watching{preview.hasPin ? ' · needs a PIN' : ''}
      </span>
    </p>
  );
}

function Room({ initial, user }: { initial: RoomView; user: UserView }) {
  const settings = useRoomSettings(initial, user.id);
  // The room ended for me: unmount the room (its subscriptions leave the socket room) and show why.
  if (settings.ended) return <RoomEnded end={settings.ended} />;
  return <LiveRoom settings={settings} user={user} />;
}

function LiveRoom({ settings, user }: { settings: ReturnType<typeof useRoomSettings>; user: UserView }) {
  const { room, role } = settings;
  const media = useRoomMedia(room.id, true);
  usePreloadPlayer(media.items.length > 0);
  const members = usePresence(room.id);
  const chat = useRoomChat(room.id, user.id);
  const [showSettings, setShowSettings] = useState(false);
  const [showGoLive, setShowGoLive] = useState(false);
  const [tab, setTab] = useState<RoomTab>('chat');
  const { live, seen } = useRoomLive(room.id);
  const notice = live ? liveNotice(live, seen) : null;
  const isHost = role === 'host';
  const canModerate = role === 'host' || role === 'moderator';
  // Follows my current role (room:you) and the room's lock (room:updated) as they change.
  const canControl = canModerate || !room.options.controlLocked;
  const nowPlaying = useNowPlaying(room.id, media.items);
  const { selected, roomMediaId } = nowPlaying;
  // The room's playback decides the stage: its live (issue 8), a library video, or nothing.
  const liveSwitch = useLiveSwitch(room.id);
  const stage = roomStage(liveSwitch.state, live, seen);
  const switchable = switchableLive(liveSwitch.state, live, canControl);
  const mediaActions = useMediaActions(media, { userId: user.id, canModerate });
  const subtitles = useMediaSubtitles(room.id, selected?.id ?? null);
  const cameras = useCameraCall(room.id);
  const upNext = useUpNext(room.id);
  useRoomTitle(room.name);
  // The room's fullscreen holds this grid (player, reactions, sync controls and chat), not the player alone.
  const gridRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<HTMLElement>(null);
  // Play from the list (under the player, often scrolled to): bring the player on screen. Without this the
  // player stays above the viewport, and moves further up as the sync controls and the conversion strip
  // appear above the row the browser keeps in place (scroll anchoring): "the page scrolls by itself".
  const playFromList = (m: MediaView) => {
    nowPlaying.play(m);
    stageRef.current?.scrollIntoView({ block: 'nearest' });
  };
  const view = useStageViewState(gridRef);

  return (
    <StageViewContext value={view}>
      <div className="room" data-tab={tab} data-theater={view.theater}>
        <div className="room-head">
          <h1>{room.name}</h1>
          <span className={`live-dot ${media.live.state}`} data-testid="live-state" data-state={media.live.state} title={media.live.error}>
            {media.live.state === 'connected' ? 'Live' : media.live.state === 'connecting' ? 'Connecting…' : 'Offline'}
          </span>
          {room.hasPin && <span className="badge">PIN</span>}
          {room.options.controlLocked && (
            <span className="badge" title="Only the host and moderators control playback">
              Host controls
            </span>
          )}
          {isHost && (
            <button type="button" className="head-action" aria-expanded={showGoLive} onClick={() => setShowGoLive((s) => !s)}>
              Go live
            </button>
          )}
          {isHost && (
            <button type="button" className="head-action" aria-expanded={showSettings} onClick={() => setShowSettings((s) => !s)}>
              Room settings
            </button>
          )}
        </div>
        <RoomLink roomId={room.id} hasPin={room.hasPin} canSharePin={isHost} />
        {media.live.state === 'disconnected' && media.live.error && (
          <p className="error small" role="status">
            Live updates are unavailable ({media.live.error}). Reconnecting; the list refreshes when the connection is back.
          </p>
        )}
        {isHost && showSettings && <RoomSettingsPanel settings={settings} onDone={() => setShowSettings(false)} />}
        {isHost && showGoLive && <GoLivePanel roomId={room.id} live={live} onDone={() => setShowGoLive(false)} />}
        {live?.status === 'live' && stage.kind !== 'live' && (
          <p className="live-notice" role="status" data-testid="live-elsewhere">
            {switchable ? 'The host is live. ' : 'The host is live; whoever controls playback can switch the room to it.'}
            {switchable && (
              <button type="button" className="primary" disabled={liveSwitch.busy} onClick={() => void liveSwitch.switchTo(switchable)}>
                Watch the live together
              </button>
            )}
            {liveSwitch.error && <span className="error small"> {liveSwitch.error}</span>}
          </p>
        )}
        {notice && (
          <p className="live-notice" role="status" data-testid="live-notice" data-status={live?.status}>
            {notice}
          </p>
        )}
        {/* Grid areas (styles.css): stage, tabs (phones only), videos, people and chat. */}
        <div className="room-grid" ref={gridRef} data-chat={view.chatShown ? 'shown' : 'hidden'}>
          <section className="stage" aria-label="Player" ref={stageRef}>
            <FloatingReactions messages={chat.messages} />
            {view.fullscreen && (
              <button type="button" className="stage-chat-toggle" aria-pressed={view.chatShown} onClick={view.toggleChat}>
                {view.chatShown ? 'Hide chat' : 'Show chat'}
              </button>
            )}
            {stage.kind === 'live' ? (
              <Suspense fallback={<div className="player-empty">Loading player…</div>}>
                <LivePlayer key={stage.src} src={stage.src} mode={stage.mode} roomId={room.id} reconnecting={stage.reconnecting} />
              </Suspense>
            ) : stage.kind === 'live-off-air' ? (
              <div className="player-empty" data-testid="live-off-air">
                <p>
                  {live?.status === 'ended'
                    ? 'The live ended. The room moves to its recording as soon as it is ready.'
                    : 'Waiting for the live…'}
                </p>
              </div>
            ) : selected ? (
              <Suspense fallback={<div className="player-empty">Loading player…</div>}>
                <HlsPlayer
                  key={selected.id}
                  src={sourceWithSubtitles(selected.playbackUrl ?? `/media/${selected.id}/master.m3u8`, subtitles.view)}
                  subtitleSuggestion={subtitles.view?.suggestedId ?? null}
                  title={selected.originalName}
                  poster={selected.posterUrl}
                  storyboardUrl={selected.storyboardUrl}
                  durationSec={selected.durationSec}
                  audioOnly={selected.kind === 'audio'}
                  syncRoomId={room.id}
                  canControl={canControl}
                  convertingPercent={selected.status === 'processing' ? selected.progress : null}
                  castMediaId={canCast(selected) ? selected.id : null}
                />
              </Suspense>
            ) : (
              <div className="player-empty">
                <p>{emptyPlayerMessage(media.items, roomMediaId)}</p>
                {/* A "Play" that did not reach the room (offline, refused) says so here, where the player would be. */}
                {nowPlaying.lastError && (
                  <p className="error small" role="alert" data-testid="playback-error">
                    {nowPlaying.lastError}
                  </p>
                )}
              </div>
            )}
          </section>
          <CameraStrip state={cameras.state} call={cameras.call} myName={user.displayName} />
          <RoomTabs tab={tab} onChange={setTab} />
          <section className="card side room-videos" id={roomPanelId('videos')} aria-label="Videos">
            <UpNextPanel
              upNext={upNext}
              media={media.items}
              playingId={roomMediaId}
              myRole={role}
              myUserId={user.id}
              options={room.options}
              canControl={canControl}
            />
            <h2>Videos</h2>
            {user.isGuest ? (
              <p className="muted small guest-upload">
                <Link href={`/register?next=${encodeURIComponent(`/r/${room.id}`)}`}>Create an account to upload</Link> videos to this room.
              </p>
            ) : (
              <>
                <Uploader
                  roomId={room.id}
                  onUploaded={media.upsert}
                  settled={(id) => media.items.some((m) => m.id === id && (m.status === 'ready' || m.status === 'failed'))}
                />
                <LinkImporter roomId={room.id} onAdded={media.upsert} />
                <LibraryPicker roomId={room.id} onAdded={media.upsert} />
              </>
            )}
            {media.error && (
              <div className="error" role="alert">
                <p>Could not load the videos: {media.error}</p>
                <button type="button" onClick={media.reload}>
                  Try again
                </button>
              </div>
            )}
            {media.loading && media.items.length === 0 && <p className="muted">Loading videos…</p>}
            {!media.loading && !media.error && media.items.length === 0 && (
              <p className="muted">{user.isGuest ? 'No videos yet.' : 'No videos yet. Upload one or add one by link to get started.'}</p>
            )}
            {mediaActions.error && (
              <p className="error small" role="alert">
                {mediaActions.error}
              </p>
            )}
            <MediaList
              items={media.items}
              selectedId={selected?.id ?? null}
              onPlay={playFromList}
              actions={mediaActions.actions}
              extra={(m) =>
                m.playable && mediaActions.actions.canManage(m) ? (
                  <SubtitlesPanel roomId={room.id} media={m} canSuggest={canModerate} />
                ) : null
              }
            />
          </section>
          <PeoplePanel id={roomPanelId('people')} roomId={room.id} members={members} myRole={role} myUserId={user.id} />
          <aside className="card chat-card" id={roomPanelId('chat')} aria-label="Chat">
            <ChatPanel
              chat={chat}
              me={{ userId: user.id, name: user.displayName }}
              canModerate={canModerate}
              mutedUntil={settings.mutedUntil}
              members={members}
            />
          </aside>
        </div>
      </div>
    </StageViewContext>
  );
}
