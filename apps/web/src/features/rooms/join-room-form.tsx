import { useId, useState, type FormEvent } from 'react';
import type { RoomPreview } from '@reelroom/contracts';
import { ApiError, errorMessage } from '../../api/client';
import { formatWait } from '../../api/api-error';
import { formText } from '../../forms/form-text';
import { PinInput } from './pin-input';

export const PIN_NEEDED_MESSAGE = 'This room needs a PIN.';
export const WRONG_PIN_MESSAGE = 'Wrong PIN.';

/**
 * What a refused join looks like to a person. The server's refusal is one generic sentence (unknown room,
 * wrong PIN, ban); once the preview proved the link right and the room has a PIN, a refusal of a typed
 * PIN is a wrong PIN. A 429 says the real wait from Retry-After.
 */
export function joinErrorMessage(err: unknown, preview: RoomPreview | null = null, pin?: string): string {
  if (err instanceof ApiError && err.statusCode === 429) {
    return `Too many attempts. Try again in ${err.retryAfterSec !== null ? formatWait(err.retryAfterSec) : 'a few minutes'}.`;
  }
  if (err instanceof ApiError && err.statusCode === 404 && preview?.hasPin && pin) return WRONG_PIN_MESSAGE;
  return errorMessage(err);
}

interface Props {
  /** Guests give a display name; signed-in people join with their account and only need the PIN. */
  asGuest: boolean;
  /** Shown above the form (a refusal from an earlier attempt). */
  error?: string | null;
  /** Show the PIN field as required rather than optional (after a refusal). */
  pinNeeded?: boolean;
  /** The room as the preview showed it (null: not known, the form asks for an optional PIN). */
  preview?: RoomPreview | null;
  onJoin: (values: { displayName: string; pin?: string }) => Promise<void>;
  /** The PIN an invite link carried (`#pin=`): filled in, so a guest only picks a name. */
  invitePin?: string;
}

export function JoinRoomForm({
  asGuest,
  error: initialError = null,
  pinNeeded: pinRefused = false,
  preview = null,
  onJoin,
  invitePin,
}: Props) {
  // A known PIN-less room asks for no PIN; a known PIN room requires one (checked here, so the person
  // reads "This room needs a PIN." rather than the browser's bubble).
  const askPin = preview === null || preview.hasPin;
  const pinNeeded = preview?.hasPin ?? pinRefused;
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
    if (preview?.hasPin && !pin) {
      setError(PIN_NEEDED_MESSAGE);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onJoin({ displayName, pin: pin || undefined });
    } catch (err) {
      setError(joinErrorMessage(err, preview, pin));
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
      {askPin && (
        <>
          <label htmlFor={`${ids}-pin`}>PIN</label>
          <PinInput
            id={`${ids}-pin`}
            mode="enter"
            required={pinNeeded && preview === null}
            describedBy={`${ids}-pin-hint`}
            defaultValue={invitePin}
          />
          <p className="hint" id={`${ids}-pin-hint`}>
            {invitePin ? 'Filled in from your invite link.' : pinNeeded ? 'Ask the host for the room PIN.' : 'Only if the host set one.'}
          </p>
        </>
      )}
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
