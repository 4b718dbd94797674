import { useEffect, useState } from 'react';
import type { RoomView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { Link } from '../../router/router';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; rooms: RoomView[] };

const ROLE_LABEL: Record<RoomView['myRole'] & string, string> = { host: 'Host', moderator: 'Moderator', viewer: 'Viewer' };

export function MyRooms() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [reopenError, setReopenError] = useState<string | null>(null);

  const reopen = async (roomId: string) => {
    setReopenError(null);
    try {
      const opened = await api.rooms.reopen(roomId);
      setState((s) => (s.status === 'ok' ? { status: 'ok', rooms: s.rooms.map((r) => (r.id === roomId ? opened : r)) } : s));
    } catch (err) {
      setReopenError(errorMessage(err));
    }
  };

  useEffect(() => {
    let cancelled = false;
    api.rooms
      .list()
      .then((rooms) => !cancelled && setState({ status: 'ok', rooms }))
      .catch((err: unknown) => !cancelled && setState({ status: 'error', message: errorMessage(err) }));
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  return (
    <section className="card" aria-labelledby="my-rooms-heading">
      <h2 id="my-rooms-heading">My rooms</h2>
      {state.status === 'loading' && <p className="muted">Loading your rooms…</p>}
      {state.status === 'error' && (
        <div className="error" role="alert">
          <p>Could not load your rooms: {state.message}</p>
          <button
            type="button"
            onClick={() => {
              setState({ status: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
      {state.status === 'ok' && state.rooms.length === 0 && <p className="muted">No rooms yet. Create one to start watching together.</p>}
      {reopenError && (
        <p className="error small" role="alert">
          Could not reopen the room: {reopenError}
        </p>
      )}
      {state.status === 'ok' && state.rooms.length > 0 && (
        <ul className="room-list">
          {state.rooms.map((room) => (
            <li key={room.id} data-testid="my-room" data-closed={room.closedAt ? 'true' : 'false'}>
              <Link href={`/r/${room.id}`}>{room.name}</Link>
              <span className="room-list-tags">
                {room.closedAt && <span className="badge closed-badge">Closed</span>}
                {room.myRole && <span className="badge">{ROLE_LABEL[room.myRole]}</span>}
                {room.closedAt && room.myRole === 'host' && (
                  <button type="button" className="small-button" aria-label={`Reopen ${room.name}`} onClick={() => void reopen(room.id)}>
                    Reopen
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
