import { useId, useState, type FormEvent } from 'react';
import type * as Contracts from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { Link } from '../../router/router';
import { useAuthOptions } from '../auth/sign-in-providers';

// The contract's sentence, mirrored (zod stays out of the bundle; a change there fails to compile here).
const RESET_BY_ADMIN: typeof Contracts.RESET_BY_ADMIN = 'This server does not send email. Ask an administrator for a password reset link.';

/**
 * "Forgot password?": asks for a reset link by email. The answer is the server's one sentence, the same
 * whether or not an account has the address. On a server that sends no mail it says whom to ask.
 */
export function ForgotPasswordForm() {
  const ids = useId();
  const options = useAuthOptions();
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent((await api.auth.requestReset(formText(new FormData(e.currentTarget), 'email'))).message);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (options === null) return null;
  if (options.passwordReset === 'admin') {
    return (
      <div className="card form">
        <h1>Forgot your password?</h1>
        <p data-testid="reset-by-admin">{RESET_BY_ADMIN}</p>
        <p className="muted">
          <Link href="/login">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="card form" onSubmit={(e) => void onSubmit(e)}>
      <h1>Forgot your password?</h1>
      <p className="muted">Type the email address of your account, and we will mail you a link to choose a new password.</p>
      <label htmlFor={`${ids}-email`}>Email</label>
      <input id={`${ids}-email`} name="email" type="email" autoComplete="email" required maxLength={254} />
      {sent && (
        <p className="ok" role="status">
          {sent}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send the link'}
      </button>
      <p className="muted">
        <Link href="/login">Back to sign in</Link>
      </p>
    </form>
  );
}
