import { useId, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { useAuth } from '../auth/auth-context';
import { NewPasswordField, PASSWORD_MAX } from './password-fields';

/** "Change password": the current one first; every other browser is signed out. */
export function PasswordForm() {
  const { state } = useAuth();
  const ids = useId();
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (state.status !== 'signed-in' || !state.user.email) return null;
  const { email, displayName } = state.user;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setStatus(null);
    try {
      const { otherSessionsSignedOut: n } = await api.auth.changePassword({
        currentPassword: formText(data, 'currentPassword'),
        newPassword: formText(data, 'newPassword'),
      });
      form.reset();
      setStatus({
        kind: 'ok',
        text: `Password changed.${n > 0 ? ` ${n} other session${n === 1 ? ' was' : 's were'} signed out.` : ''}`,
      });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form account-form" onSubmit={(e) => void onSubmit(e)}>
      <h2 id={`${ids}-h`}>Password</h2>
      {/* For password managers: which account this password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <label htmlFor={`${ids}-current`}>Current password</label>
      <input
        id={`${ids}-current`}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        maxLength={PASSWORD_MAX}
      />
      <NewPasswordField id={`${ids}-new`} label="New password" context={{ email, displayName }} />
      {status && (
        <p className={status.kind === 'ok' ? 'ok' : 'error'} role={status.kind === 'ok' ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
      <p className="muted small">Changing it signs you out in every other browser.</p>
    </form>
  );
}
