import { useId, useState } from 'react';
import type { Member, RoomRole } from '@reelroom/contracts';
import { roomActions, type SendResult } from '../../socket/room-socket';
import { allowedActions, isMuted, playerLabel, sortMembers } from './presence-format';
import { useNow } from './use-now';

interface Props {
  members: Member[];
  myRole: RoomRole | null;
  myUserId: string | null;
  /** The element id (the room's phone tabs point at it). */
  id?: string;
}

export function PeoplePanel({ members, myRole, myUserId, id }: Props) {
  const ids = useId();
  const [error, setError] = useState<string | null>(null);
  const present = sortMembers(members).filter((m) => m.connections > 0 || m.role === 'host');
  const run = async (action: () => Promise<SendResult<unknown>>) => {
    setError(null);
    const r = await action();
    if (!r.ok) setError(r.error);
  };
  // Muted badges and the Mute/Unmute choice change when a mute ends.
  const now = useNow(members.flatMap((m) => (m.mutedUntil ? [Date.parse(m.mutedUntil)] : [])));

  return (
    <section className="card people" id={id} aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>
        People{' '}
        <span className="muted small" data-testid="people-count">
          ({present.filter((m) => m.connections > 0).length} here)
        </span>
      </h2>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <ul className="people-list">
        {present.map((m) => {
          const can = allowedActions(myRole, myUserId, m);
          const label = playerLabel(m);
          return (
            <li key={m.userId} data-testid="person" data-user-id={m.userId} data-role={m.role}>
              <div className="person-line">
                <span className="person-name">
                  {m.name}
                  {m.userId === myUserId && <span className="muted small"> (you)</span>}
                </span>
                {m.role !== 'viewer' && <span className={`badge role-${m.role}`}>{m.role}</span>}
                {m.isGuest && <span className="badge guest">guest</span>}
                {isMuted(m.mutedUntil, now) && (
                  <span className="badge muted-badge" title={`Muted until ${new Date(m.mutedUntil!).toLocaleTimeString()}`}>
                    muted
                  </span>
                )}
                <span className={`player-state state-${label.split(' ')[0]}`} data-testid="player-state">
                  {label}
                </span>
              </div>
              {(can.promote || can.demote || can.mute || can.kick) && (
                <div className="person-actions">
                  {can.promote && (
                    <button type="button" className="link small" onClick={() => void run(() => roomActions.setRole(m.userId, 'moderator'))}>
                      Make moderator
                    </button>
                  )}
                  {can.demote && (
                    <button type="button" className="link small" onClick={() => void run(() => roomActions.setRole(m.userId, 'viewer'))}>
                      Remove moderator
                    </button>
                  )}
                  {can.mute &&
                    (isMuted(m.mutedUntil, now) ? (
                      <button type="button" className="link small" onClick={() => void run(() => roomActions.mute(m.userId, 0))}>
                        Unmute
                      </button>
                    ) : (
                      <button type="button" className="link small" onClick={() => void run(() => roomActions.mute(m.userId, 10))}>
                        Mute 10 min
                      </button>
                    ))}
                  {can.kick && (
                    <>
                      <button
                        type="button"
                        className="link small danger"
                        aria-label={`Kick ${m.name}`}
                        onClick={() => void run(() => roomActions.kick(m.userId, false))}
                      >
                        Kick
                      </button>
                      <button
                        type="button"
                        className="link small danger"
                        aria-label={`Ban ${m.name}`}
                        onClick={() => void run(() => roomActions.kick(m.userId, true))}
                      >
                        Ban
                      </button>
                    </>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
