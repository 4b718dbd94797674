import { useId, useState, type FormEvent } from 'react';
import type { AdminResetLinkView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';

/**
 * Password reset links (issue 12), for servers that send no mail (or a person whose mail does not
 * arrive): the administrator issues a one-time link and hands it over by a channel they trust.
 */
export function ResetLinkPanel() {
  const ids = useId();
  const [link, setLink] = useState<(AdminResetLinkView & { url: string; email: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = formText(new FormData(e.currentTarget), 'email');
    setBusy(true);
    setError(null);
    setLink(null);
    setCopied(false);
    try {
      const issued = await api.admin.resetLink(email);
      setLink({ ...issued, url: window.location.origin + issued.path, email });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Password reset link</h2>
      <p className="muted small">
        For someone who forgot their password. The link works once, for a limited time; only the newest link of an account works. Hand it
        over privately: whoever has it can set the password.
      </p>
      <form className="inline-form" onSubmit={(e) => void onSubmit(e)}>
        <label htmlFor={`${ids}-email`}>Email of the account</label>
        <div className="row">
          <input id={`${ids}-email`} name="email" type="email" required maxLength={254} autoComplete="off" />
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create link'}
          </button>
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {link && (
        <div className="reset-link" role="status">
          <label htmlFor={`${ids}-link`}>Reset link for {link.email}</label>
          <div className="row">
            <input id={`${ids}-link`} readOnly value={link.url} data-testid="reset-link" onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <p className="muted small">Works until {new Date(link.expiresAt).toLocaleString()}.</p>
        </div>
      )}
    </section>
  );
}
