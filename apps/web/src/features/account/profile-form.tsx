import { useId, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { useAuth } from '../auth/auth-context';

/** "Display name": what others see in rooms and chat. */
export function ProfileForm() {
  const { state, adopt } = useAuth();
  const ids = useId();
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (state.status !== 'signed-in') return null;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const displayName = formText(new FormData(e.currentTarget), 'displayName');
    setBusy(true);
    setStatus(null);
    try {
      const user = await api.auth.rename({ displayName });
      // A fresh socket, so rooms joined from now on show the new name.
      adopt(user);
      setStatus({ kind: 'ok', text: `Saved. People now see you as ${user.displayName}.` });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form account-form" onSubmit={(e) => void onSubmit(e)}>
      <h2 id={`${ids}-h`}>Your name</h2>
      <label htmlFor={`${ids}-name`}>Display name</label>
      <input
        id={`${ids}-name`}
        name="displayName"
        type="text"
        autoComplete="nickname"
        required
        maxLength={60}
        defaultValue={state.user.displayName}
      />
      {status && (
        <p className={status.kind === 'ok' ? 'ok' : 'error'} role={status.kind === 'ok' ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save name'}
      </button>
    </form>
  );
}
