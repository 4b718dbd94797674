import { useEffect, useState } from 'react';
import type { SessionView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { navigate } from '../../router/router';
import { useAuth } from './auth-context';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Where this account is signed in; sign one browser out, or all of them (their open rooms disconnect at once). */
export function SessionsPanel() {
  const { logoutEverywhere } = useAuth();
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.auth
      .sessions()
      .then((s) => live && setSessions(s))
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, []);

  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.auth.revokeSession(id);
      setSessions((s) => s?.filter((x) => x.id !== id) ?? null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const everywhere = async () => {
    setBusy(true);
    setError(null);
    try {
      await logoutEverywhere();
      navigate('/login');
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {sessions === null && !error && <p className="muted">Loading…</p>}
      {sessions && (
        <ul className="sessions" data-testid="sessions">
          {sessions.map((s) => (
            <li key={s.id} data-testid="session">
              <span>
                {s.current ? <strong>This browser</strong> : (s.userAgent ?? 'Unknown browser')}
                <span className="muted">
                  {' '}
                  · {s.address ?? 'unknown address'} · since {when(s.createdAt)}
                </span>
              </span>
              {!s.current && (
                <button type="button" onClick={() => void revoke(s.id)}>
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="danger" disabled={busy} onClick={() => void everywhere()}>
        {busy ? 'Signing out…' : 'Sign out everywhere'}
      </button>
    </section>
  );
}
