import { useId, useState, type FormEvent } from 'react';
import type * as Contracts from '@reelroom/contracts';
// The password rules alone (no zod): the form tells what the API would refuse while the person types.
import { passwordWeakness } from '@reelroom/contracts/password-policy';
import { errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { Link, navigate, safeNext, useLocation } from '../../router/router';
import { useAuth } from './auth-context';
import { ProviderButtons, useAuthOptions, useSignInError } from './sign-in-providers';

// Mirrors of the contract's limits, typed as the contract's literal types so a change there fails to
// compile here. Importing the values would pull zod (the contract's schemas) into the browser bundle.
const PASSWORD_MIN: typeof Contracts.PASSWORD_MIN = 8;
const PASSWORD_MAX: typeof Contracts.PASSWORD_MAX = 256;

export function LoginForm() {
  const { login } = useAuth();
  const { search } = useLocation();
  const ids = useId();
  const options = useAuthOptions();
  // A refused sign-in with a provider comes back here with its sentence.
  const signInError = useSignInError();
  const [error, setError] = useState<string | null>(signInError);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await login({ email: formText(form, 'email'), password: formText(form, 'password') });
      navigate(safeNext(search), { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const errorLine = error && (
    <p className="error" role="alert" id={`${ids}-error`}>
      {error}
    </p>
  );
  if (options && !options.password) {
    return (
      <div className="card form">
        <h1>Sign in</h1>
        <ProviderButtons providers={options.providers} search={search} />
        {errorLine}
      </div>
    );
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-describedby={error ? `${ids}-error` : undefined}>
      <h1>Sign in</h1>
      {options && options.providers.length > 0 && (
        <>
          <ProviderButtons providers={options.providers} search={search} />
          <p className="muted or-line">or with your email and password</p>
        </>
      )}
      <label htmlFor={`${ids}-email`}>Email</label>
      <input id={`${ids}-email`} name="email" type="email" autoComplete="email" required />
      <label htmlFor={`${ids}-password`}>Password</label>
      <input id={`${ids}-password`} name="password" type="password" autoComplete="current-password" required maxLength={PASSWORD_MAX} />
      <p className="small forgot-line">
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      {errorLine}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">
        No account yet? <Link href={`/register${search}`}>Create one</Link>
      </p>
    </form>
  );
}

export function RegisterForm() {
  const { register } = useAuth();
  const { search } = useLocation();
  const ids = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [weakness, setWeakness] = useState<string | null>(null);
  const options = useAuthOptions();

  const onInput = (e: FormEvent<HTMLFormElement>) => {
    const form = new FormData(e.currentTarget);
    const password = formText(form, 'password');
    setWeakness(
      password ? passwordWeakness(password, { email: formText(form, 'email'), displayName: formText(form, 'displayName') }) : null,
    );
  };

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await register({
        email: formText(form, 'email'),
        displayName: formText(form, 'displayName'),
        password: formText(form, 'password'),
      });
      navigate(safeNext(search), { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  if (options && !options.password) {
    return (
      <div className="card form">
        <h1>Create your account</h1>
        <p className="muted">Accounts here are made by signing in with one of these:</p>
        <ProviderButtons providers={options.providers} search={search} />
      </div>
    );
  }

  return (
    <form className="card form" onSubmit={onSubmit} onInput={onInput}>
      <h1>Create your account</h1>
      {options && options.providers.length > 0 && (
        <>
          <ProviderButtons providers={options.providers} search={search} />
          <p className="muted or-line">or with an email and a password</p>
        </>
      )}
      <label htmlFor={`${ids}-email`}>Email</label>
      <input id={`${ids}-email`} name="email" type="email" autoComplete="email" required maxLength={254} />
      <label htmlFor={`${ids}-name`}>Display name</label>
      <input id={`${ids}-name`} name="displayName" type="text" autoComplete="nickname" required maxLength={60} />
      <label htmlFor={`${ids}-password`}>Password</label>
      <input
        id={`${ids}-password`}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        maxLength={PASSWORD_MAX}
        aria-describedby={`${ids}-password-hint`}
      />
      <p className="hint" id={`${ids}-password-hint`} aria-live="polite">
        {weakness ?? `At least ${PASSWORD_MIN} characters; not a common password, a sequence, or your email.`}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
      <p className="muted">
        Already have an account? <Link href={`/login${search}`}>Sign in</Link>
      </p>
    </form>
  );
}
