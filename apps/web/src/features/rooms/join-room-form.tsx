import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { formText } from '../../forms/form-text';
import { PinInput } from './pin-input';

export const RATE_LIMITED_MESSAGE = 'Too many attempts. Wait a minute, then try again.';

/** What a refused join looks like to a person: the server's generic refusal, or the rate-limit notice. */
export function joinErrorMessage(err: unknown): string {
  if (err instanceof ApiError && err.statusCode === 429) return RATE_LIMITED_MESSAGE;
  return errorMessage(err);
}

interface Props {
  /** Guests give a display name; signed-in people join with their account and only need the PIN. */
  asGuest: boolean;
  /** Shown above the form (a refusal from an earlier attempt). */
  error?: string | null;
  /** Show the PIN field as required rather than optional (after a refusal). */
  pinNeeded?: boolean;
  onJoin: (values: { displayName: string; pin?: string }) => Promise<void>;
}

export function JoinRoomForm({ asGuest, error: initialError = null, pinNeeded = false, onJoin }: Props) {
  const ids = useId();
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const displayName = formText(form, 'displayName').trim();
    const pin = formText(form, 'pin').trim();
    if (asGuest && !displayName) {
      setError('Choose a display name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onJoin({ displayName, pin: pin || undefined });
    } catch (err) {
      setError(joinErrorMessage(err));
      setBusy(false);
    }
  };

  return (
    <form className="form join-form" onSubmit={onSubmit} aria-describedby={error ? `${ids}-error` : undefined}>
      {asGuest && (
        <>
          <label htmlFor={`${ids}-name`}>Display name</label>
          <input id={`${ids}-name`} name="displayName" type="text" autoComplete="nickname" required maxLength={40} />
        </>
      )}
      <label htmlFor={`${ids}-pin`}>PIN</label>
      <PinInput id={`${ids}-pin`} mode="enter" required={pinNeeded} describedBy={`${ids}-pin-hint`} />
      <p className="hint" id={`${ids}-pin-hint`}>
        {pinNeeded ? 'Ask the host for the room PIN.' : 'Only if the host set one.'}
      </p>
      {error && (
        <p className="error" role="alert" id={`${ids}-error`}>
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Joining…' : 'Join'}
      </button>
    </form>
  );
}
