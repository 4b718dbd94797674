import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { RoomView, UserView } from '@reelroom/contracts';
import { api, ApiError, errorMessage } from '../api/client';
import { useAuth } from '../features/auth/auth-context';
import { ChatPanel } from '../features/chat/chat-panel';
import { useRoomChat } from '../features/chat/use-room-chat';
import { MediaList, type MediaActions } from '../features/media/media-list';
import { Uploader } from '../features/media/uploader';
import { useRoomMedia } from '../features/media/use-room-media';
import { PeoplePanel } from '../features/presence/people-panel';
import { usePresence } from '../features/presence/use-presence';
import { JoinRoomForm, joinErrorMessage } from '../features/rooms/join-room-form';
import { RoomLink } from '../features/rooms/room-link';
import { RoomSettingsPanel } from '../features/rooms/room-settings-panel';
import { CLOSED_MESSAGE, KICKED_MESSAGE, useRoomSettings, type RoomEnd } from '../features/rooms/use-room-settings';
import { Link } from '../router/router';
import { useRoomPlayback } from '../player/sync/room-sync';

// hls.js is most of the bundle; load it only when someone opens a video.
const HlsPlayer = lazy(() => import('../player/hls-player').then((m) => ({ default: m.HlsPlayer })));

type RoomState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  /** Not a member and joining without a PIN was refused: ask for the PIN. */
  | { status: 'needs-pin'; error: string | null }
  | { status: 'ok'; room: RoomView };

/**
 * Loads the room and joins it when the caller is not a member yet (opening a shared link). A room the
 * server will not show (unknown, PIN-protected, banned) answers with one generic refusal, so a refusal
 * of the PIN-less attempt turns into a PIN prompt rather than a "not found".
 */
function useJoinedRoom(roomId: string, enabled: boolean) {
  const [state, setState] = useState<RoomState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    setState({ status: 'loading' });
    (async () => {
      try {
        let room: RoomView | null = null;
        try {
          room = await api.rooms.get(roomId);
        } catch (err) {
          if (!(err instanceof ApiError) || err.statusCode >= 500 || err.statusCode === 0) throw err;
        }
        if (room?.closedAt) {
          if (!cancelled) setState({ status: 'ok', room });
          return;
        }
        if (!room || room.myRole === null) {
          try {
            room = await api.rooms.join(roomId);
          } catch (err) {
            if (err instanceof ApiError && err.statusCode >= 400 && err.statusCode < 500) {
              if (!cancelled) setState({ status: 'needs-pin', error: err.statusCode === 429 ? joinErrorMessage(err) : null });
              return;
            }
            throw err;
          }
        }
        if (!cancelled) setState({ status: 'ok', room });
      } catch (err) {
        if (!cancelled) setState({ status: 'error', message: errorMessage(err) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [roomId, enabled, attempt]);

  const joinWithPin = async (pin?: string) => {
    const room = await api.rooms.join(roomId, pin);
    setState({ status: 'ok', room });
  };
  return { state, retry: () => setAttempt((n) => n + 1), joinWithPin };
}

export function RoomPage({ roomId }: { roomId: string }) {
  const { state: auth, adopt } = useAuth();
  const signedIn = auth.status === 'signed-in';
  const { state: room, retry, joinWithPin } = useJoinedRoom(roomId, signedIn);

  if (auth.status === 'loading') return <p className="muted">Loading…</p>;
  if (!signedIn) {
    const next = encodeURIComponent(`/r/${roomId}`);
    return (
      <section className="card narrow join-card">
        <h1>Join this room</h1>
        <p>Pick a name to watch and chat as a guest, or sign in to join with your account.</p>
        <JoinRoomForm
          asGuest
          onJoin={async ({ displayName, pin }) => {
            const reply = await api.rooms.joinAsGuest(roomId, { displayName, pin });
            adopt(reply.user);
          }}
        />
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
        <p>This room may need a PIN. Enter it to join as {auth.user.displayName}.</p>
        <JoinRoomForm asGuest={false} pinNeeded error={room.error} onJoin={({ pin }) => joinWithPin(pin)} />
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

function RoomEnded({ end }: { end: NonNullable<RoomEnd> }) {
  const heading = end.reason === 'closed' ? CLOSED_MESSAGE : KICKED_MESSAGE;
  return (
    <section className="card narrow room-ended" role="alert" data-testid="room-ended" data-reason={end.reason}>
      <h1>{heading}</h1>
      {end.message && end.message !== heading && <p>{end.message}</p>}
      <p className="muted">{end.reason === 'closed' ? 'The room cannot be joined again.' : 'You cannot rejoin unless the host lets you back in.'}</p>
      <Link href="/" className="button">
        Go to my rooms
      </Link>
    </section>
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
  const members = usePresence(room.id);
  const chat = useRoomChat(room.id, user.id);
  const [showSettings, setShowSettings] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const isHost = role === 'host';
  const canModerate = role === 'host' || role === 'moderator';
  const actions = useMemo<MediaActions>(() => {
    const run = async (fn: () => Promise<unknown>) => {
      setActionError(null);
      try {
        await fn();
      } catch (err) {
        setActionError(errorMessage(err));
      }
    };
    return {
      canManage: (m) => m.uploaderId === user.id || canModerate,
      retry: (m) => void run(async () => media.upsert(await api.media.retry(m.id))),
      cancel: (m) => void run(async () => media.upsert(await api.media.cancel(m.id))),
      remove: (m) => void run(async () => {
        await api.media.remove(m.id);
        media.remove(m.id);
      }),
    };
  }, [user.id, canModerate, media.upsert, media.remove]);
  useEffect(() => {
    document.title = `${room.name} · Reelroom`;
    return () => {
      document.title = 'Reelroom';
    };
  }, [room.name]);
  // The room, not this page, decides what plays: picking a video sends a `media` command and every
  // member's player follows the room's playback state (the server drops it if control is locked).
  const playback = useRoomPlayback(room.id);
  const roomMediaId = playback.state?.mediaId ?? null;
  // `playable` includes a stream still being encoded (issue 4: playable while encoding).
  const selected = media.items.find((m) => m.id === roomMediaId && m.playable) ?? null;

  return (
    <div className="room">
      <div className="room-head">
        <h1>{room.name}</h1>
        <span className={`live-dot ${media.live.state}`} data-testid="live-state" data-state={media.live.state} title={media.live.error}>
          {media.live.state === 'connected' ? 'Live' : media.live.state === 'connecting' ? 'Connecting…' : 'Offline'}
        </span>
        {room.hasPin && <span className="badge">PIN</span>}
        {room.options.controlLocked && <span className="badge" title="Only the host and moderators control playback">Host controls</span>}
        {isHost && (
          <button type="button" className="head-action" aria-expanded={showSettings} onClick={() => setShowSettings((s) => !s)}>
            Room settings
          </button>
        )}
      </div>
      <RoomLink roomId={room.id} />
      {media.live.state === 'disconnected' && media.live.error && (
        <p className="error small" role="status">
          Live updates are unavailable ({media.live.error}). Reconnecting; the list refreshes when the connection is back.
        </p>
      )}
      {isHost && showSettings && <RoomSettingsPanel settings={settings} onDone={() => setShowSettings(false)} />}
      <div className="room-grid">
        <div className="room-main">
          <section className="stage" aria-label="Player">
            {selected ? (
              <Suspense fallback={<div className="player-empty">Loading player…</div>}>
                <HlsPlayer
                  key={selected.id}
                  src={selected.playbackUrl ?? `/media/${selected.id}/master.m3u8`}
                  title={selected.originalName}
                  poster={selected.posterUrl}
                  storyboardUrl={selected.storyboardUrl}
                  durationSec={selected.durationSec}
                  audioOnly={selected.kind === 'audio'}
                  syncRoomId={room.id}
                />
              </Suspense>
            ) : (
              <div className="player-empty">
                <p>{roomMediaId ? 'The room is playing a video that is not ready here yet…' : 'Pick a ready video from the list to play it for everyone.'}</p>
              </div>
            )}
          </section>
          <div className="room-panels">
            <section className="card side" aria-label="Videos">
              <h2>Videos</h2>
              {user.isGuest ? (
                <p className="muted small guest-upload">
                  <Link href={`/register?next=${encodeURIComponent(`/r/${room.id}`)}`}>Create an account to upload</Link> videos to this room.
                </p>
              ) : (
                <Uploader roomId={room.id} onUploaded={media.upsert} />
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
                <p className="muted">{user.isGuest ? 'No videos yet.' : 'No videos yet. Upload one to get started.'}</p>
              )}
              {actionError && (
                <p className="error small" role="alert">
                  {actionError}
                </p>
              )}
              <MediaList items={media.items} selectedId={selected?.id ?? null} onPlay={(m) => playback.send({ type: 'media', mediaId: m.id })} actions={actions} />
            </section>
            <PeoplePanel members={members} myRole={role} myUserId={user.id} />
          </div>
        </div>
        <aside className="card chat-card" aria-label="Chat">
          <ChatPanel chat={chat} me={{ userId: user.id, name: user.displayName }} canModerate={canModerate} mutedUntil={settings.mutedUntil} members={members} />
        </aside>
      </div>
    </div>
  );
}
