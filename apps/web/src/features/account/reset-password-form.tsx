import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { Link } from '../../router/router';
import { NewPasswordField } from './password-fields';

/**
 * The token from the link's fragment (#token=...): fragments never reach a server, so the token is in
 * no access log and no Referer. It is read once, then taken off the address bar.
 */
function takeToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) window.history.replaceState(null, '', window.location.pathname);
  return token;
}

/** "Choose a new password" from a reset link (mailed, or handed over by an administrator). */
export function ResetPasswordForm() {
  const ids = useId();
  const [token, setToken] = useState(takeToken);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Another link opened in this tab changes only the fragment: no page load, so take it here.
  useEffect(() => {
    const onHash = () => {
      const next = takeToken();
      if (!next) return;
      setToken(next);
      setDone(false);
      setError(null);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      await api.auth.confirmReset({ token, password: formText(new FormData(e.currentTarget), 'newPassword') });
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="card form">
        <h1>Password changed</h1>
        <p role="status">Your new password is set, and you were signed out everywhere.</p>
        <p>
          <Link href="/login">Sign in with your new password</Link>
        </p>
      </div>
    );
  }
  if (!token) {
    return (
      <div className="card form">
        <h1>Choose a new password</h1>
        <p className="error" role="alert">
          This page needs the whole link from your email (or from your administrator). Open that link again, or{' '}
          <Link href="/forgot-password">ask for a new one</Link>.
        </p>
      </div>
    );
  }
  return (
    <form className="card form" onSubmit={(e) => void onSubmit(e)}>
      <h1>Choose a new password</h1>
      <NewPasswordField id={`${ids}-new`} label="New password" context={{}} />
      {error && (
        <p className="error" role="alert">
          {error} {/not valid any more/.test(error) && <Link href="/forgot-password">Ask for a new link</Link>}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
