import { useId, useState } from 'react';
import type { Member, RoomRole } from '@reelroom/contracts';
import { roomActions, type SendResult } from '../../socket/room-socket';
import { allowedActions, isMuted, playerLabel, sortMembers } from './presence-format';
import { BanList } from './ban-list';
import { useNow } from './use-now';

interface Props {
  members: Member[];
  myRole: RoomRole | null;
  myUserId: string | null;
  /** The element id (the room's phone tabs point at it). */
  id?: string;
  roomId: string;
}

/** Kick, ban and handing over the host role ask first: they cannot be undone with one click. */
type Pending = { userId: string; name: string; action: 'kick' | 'ban' | 'host' };

const CONFIRM: Record<Pending['action'], { question: (name: string) => string; yes: string; note: string }> = {
  kick: { question: (n) => `Kick ${n}?`, yes: 'Kick', note: 'They leave the room now and can come back later with the link.' },
  ban: { question: (n) => `Ban ${n}?`, yes: 'Ban', note: 'They cannot come back until someone unbans them.' },
  host: { question: (n) => `Make ${n} the host?`, yes: 'Make host', note: 'You stay as a moderator; only the new host can give it back.' },
};

export function PeoplePanel({ members, myRole, myUserId, id, roomId }: Props) {
  const ids = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [bansVersion, setBansVersion] = useState(0);
  const canModerate = myRole === 'host' || myRole === 'moderator';
  const confirm = async (p: Pending) => {
    setPending(null);
    if (p.action === 'host') await run(() => roomActions.transferHost(p.userId));
    else await run(() => roomActions.kick(p.userId, p.action === 'ban'));
    if (p.action === 'ban') setBansVersion((n) => n + 1);
  };
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
              {(can.promote || can.demote || can.mute || can.kick || can.makeHost) && (
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
                        onClick={() => setPending({ userId: m.userId, name: m.name, action: 'kick' })}
                      >
                        Kick
                      </button>
                      <button
                        type="button"
                        className="link small danger"
                        aria-label={`Ban ${m.name}`}
                        onClick={() => setPending({ userId: m.userId, name: m.name, action: 'ban' })}
                      >
                        Ban
                      </button>
                    </>
                  )}
                  {can.makeHost && (
                    <button
                      type="button"
                      className="link small"
                      aria-label={`Make host: ${m.name}`}
                      onClick={() => setPending({ userId: m.userId, name: m.name, action: 'host' })}
                    >
                      Make host
                    </button>
                  )}
                </div>
              )}
              {pending?.userId === m.userId && (
                <div role="alertdialog" aria-label={CONFIRM[pending.action].question(m.name)} className="confirm small">
                  <p>
                    <strong>{CONFIRM[pending.action].question(m.name)}</strong> {CONFIRM[pending.action].note}
                  </p>
                  <div className="row">
                    <button
                      type="button"
                      className={pending.action === 'host' ? 'primary' : 'danger'}
                      onClick={() => void confirm(pending)}
                    >
                      {CONFIRM[pending.action].yes}
                    </button>
                    <button type="button" onClick={() => setPending(null)}>
                      Cancel
                    </button>
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {canModerate && <BanList roomId={roomId} version={bansVersion} />}
    </section>
  );
}
