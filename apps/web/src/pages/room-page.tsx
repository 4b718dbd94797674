import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { RoomView } from '@reelroom/contracts';
import { api, ApiError, errorMessage } from '../api/client';
import { useAuth } from '../features/auth/auth-context';
import { MediaList, type MediaActions } from '../features/media/media-list';
import { Uploader } from '../features/media/uploader';
import { useRoomMedia } from '../features/media/use-room-media';
import { RoomLink } from '../features/rooms/room-link';
import { Link } from '../router/router';

// hls.js is most of the bundle; load it only when someone opens a video.
const HlsPlayer = lazy(() => import('../player/hls-player').then((m) => ({ default: m.HlsPlayer })));

type RoomState = { status: 'loading' } | { status: 'not-found' } | { status: 'error'; message: string } | { status: 'ok'; room: RoomView };

/** Loads the room and joins it as a viewer when the caller is not a member yet (opening a shared link). */
function useJoinedRoom(roomId: string, enabled: boolean): [RoomState, () => void] {
  const [state, setState] = useState<RoomState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    setState({ status: 'loading' });
    (async () => {
      try {
        let room = await api.rooms.get(roomId);
        if (room.myRole === null) room = await api.rooms.join(roomId);
        if (!cancelled) setState({ status: 'ok', room });
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && (err.statusCode === 404 || err.statusCode === 400)) setState({ status: 'not-found' });
        else setState({ status: 'error', message: errorMessage(err) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [roomId, enabled, attempt]);

  return [state, () => setAttempt((n) => n + 1)];
}

export function RoomPage({ roomId }: { roomId: string }) {
  const { state: auth } = useAuth();
  const signedIn = auth.status === 'signed-in';
  const [room, retry] = useJoinedRoom(roomId, signedIn);

  if (auth.status === 'loading') return <p className="muted">Loading…</p>;
  if (!signedIn) {
    const next = encodeURIComponent(`/r/${roomId}`);
    return (
      <section className="card narrow">
        <h1>Join this room</h1>
        <p>Sign in to watch with everyone in this room.</p>
        <div className="row">
          <Link href={`/login?next=${next}`} className="button primary">
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
  if (room.status === 'not-found') {
    return (
      <section className="card narrow">
        <h1>Room not found</h1>
        <p>This room does not exist. Check the link, or go back to your rooms.</p>
        <Link href="/">Back to my rooms</Link>
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
  return <Room room={room.room} />;
}

function Room({ room }: { room: RoomView }) {
  const media = useRoomMedia(room.id, true);
  const { state: auth } = useAuth();
  const userId = auth.status === 'signed-in' ? auth.user.id : null;
  const [actionError, setActionError] = useState<string | null>(null);
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
      canManage: (m) => m.uploaderId === userId || room.myRole === 'host' || room.myRole === 'moderator',
      retry: (m) => void run(async () => media.upsert(await api.media.retry(m.id))),
      cancel: (m) => void run(async () => media.upsert(await api.media.cancel(m.id))),
      remove: (m) => void run(async () => {
        await api.media.remove(m.id);
        media.remove(m.id);
      }),
    };
  }, [userId, room.myRole, media.upsert, media.remove]);
  useEffect(() => {
    document.title = `${room.name} · Reelroom`;
    return () => {
      document.title = 'Reelroom';
    };
  }, [room.name]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // `playable` includes a stream still being encoded (issue 4: playable while encoding).
  const selected = media.items.find((m) => m.id === selectedId && m.playable) ?? null;

  return (
    <div className="room">
      <div className="room-head">
        <h1>{room.name}</h1>
        <span className={`live-dot ${media.live.state}`} data-testid="live-state" data-state={media.live.state} title={media.live.error}>
          {media.live.state === 'connected' ? 'Live' : media.live.state === 'connecting' ? 'Connecting…' : 'Offline'}
        </span>
      </div>
      <RoomLink roomId={room.id} />
      {media.live.state === 'disconnected' && media.live.error && (
        <p className="error small" role="status">
          Live updates are unavailable ({media.live.error}). Reconnecting; the list refreshes when the connection is back.
        </p>
      )}
      <div className="room-grid">
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
              />
            </Suspense>
          ) : (
            <div className="player-empty">
              <p>Pick a ready video from the list to play it.</p>
            </div>
          )}
        </section>
        <aside className="card side" aria-label="Videos">
          <h2>Videos</h2>
          <Uploader roomId={room.id} onUploaded={media.upsert} />
          {media.error && (
            <div className="error" role="alert">
              <p>Could not load the videos: {media.error}</p>
              <button type="button" onClick={media.reload}>
                Try again
              </button>
            </div>
          )}
          {media.loading && media.items.length === 0 && <p className="muted">Loading videos…</p>}
          {!media.loading && !media.error && media.items.length === 0 && <p className="muted">No videos yet. Upload one to get started.</p>}
          {actionError && (
            <p className="error small" role="alert">
              {actionError}
            </p>
          )}
          <MediaList items={media.items} selectedId={selected?.id ?? null} onPlay={(m) => setSelectedId(m.id)} actions={actions} />
        </aside>
      </div>
    </div>
  );
}
